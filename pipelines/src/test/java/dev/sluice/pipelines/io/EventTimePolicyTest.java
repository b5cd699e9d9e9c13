package dev.sluice.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimePolicyTest {
  private static final Duration OUT_OF_ORDER = Duration.standardMinutes(1);
  private static final Duration IDLE = Duration.standardSeconds(10);
  private final ReadProgress shared = new ReadProgress();
  private final AtomicLong nanos = new AtomicLong(0);

  /** The wall clock: when a record was read, and when a partition's backlog was checked. */
  private final AtomicLong millis = new AtomicLong(1_000_000);

  /** What the broker holds in the read's partitions, as TopicProgress would tell. */
  private final AtomicLong held = new AtomicLong(Long.MIN_VALUE);

  /** The wall time from which the broker is known to hold {@link #held}. */
  private final AtomicLong heldSince = new AtomicLong(Long.MIN_VALUE);

  private final AtomicLong heldAsked = new AtomicLong();

  private EventTimePolicy<String> policy() {
    return policy(Duration.ZERO);
  }

  private EventTimePolicy<String> policy(Duration allowedLateness) {
    return new EventTimePolicy<>(
        EventTimePolicyTest::timeOfLine,
        OUT_OF_ORDER,
        IDLE,
        allowedLateness,
        shared,
        byMillis -> {
          heldAsked.incrementAndGet();
          return byMillis >= heldSince.get() ? held.get() : Long.MIN_VALUE;
        },
        Optional.empty(),
        nanos::get,
        millis::get);
  }

  @Test
  void readsEventTimeFromTheValueAndFallsBackToTheRecordTimestamp() {
    EventTimePolicy<String> p = policy();
    assertEquals(new Instant(5_000), p.getTimestampForRecord(context(3), record("t=5000", 99)));
    assertEquals(new Instant(99), p.getTimestampForRecord(context(3), record("garbage", 99)));
  }

  @Test
  void aRecordWithoutAReadableTimeDoesNotMoveTheWatermark() {
    EventTimePolicy<String> p = policy();
    p.getTimestampForRecord(context(1), record("t=600000", 0));
    p.getTimestampForRecord(context(1), record("no time here", 1_795_000_000_000L)); // wall clock
    assertEquals(new Instant(600_000 - 60_000), p.getWatermark(context(1)));
  }

  @Test
  void withRecordTimestampsEveryRecordMovesTheWatermark() {
    EventTimePolicy<String> p =
        new EventTimePolicy<>(
            EventTimePolicy.RECORD_TIMESTAMP,
            OUT_OF_ORDER,
            IDLE,
            Duration.ZERO,
            shared,
            byMillis -> held.get(),
            Optional.empty(),
            nanos::get,
            millis::get);
    assertEquals(new Instant(600_000), p.getTimestampForRecord(context(1), record("x", 600_000)));
    assertEquals(new Instant(600_000 - 60_000), p.getWatermark(context(1)));
    // Behind the watermark by its own timestamp: late, stamped with the watermark it missed.
    assertEquals(new Instant(540_000), p.getTimestampForRecord(context(1), record("y", 500_000)));
  }

  @Test
  void aRecordBehindItsPartitionsWatermarkIsStampedWithThatWatermarkAndTellsItWasLate() {
    EventTimePolicy<String> p = policy();
    p.getTimestampForRecord(context(1), record("t=600000", 0));
    // Not asked for the watermark yet: lateness follows the records, not the runner's timing.
    assertEquals(new Instant(540_000), p.getTimestampForRecord(context(1), record("t=539999", 0)));
    assertEquals(new Instant(540_000), p.getTimestampForRecord(context(1), record("t=540000", 0)));
    assertTrue(EventTimePolicy.isLate(539_999L, new Instant(540_000)));
    assertFalse(EventTimePolicy.isLate(540_000L, new Instant(540_000)));
    // A late record does not move the watermark.
    assertEquals(new Instant(540_000), p.getWatermark(context(1)));
  }

  @Test
  void allowedLatenessLetsARecordThatFarBehindTheWatermarkCount() {
    EventTimePolicy<String> p = policy(Duration.standardSeconds(30));
    p.getTimestampForRecord(context(1), record("t=600000", 0));
    assertEquals(new Instant(510_000), p.getTimestampForRecord(context(1), record("t=510000", 0)));
    assertEquals(new Instant(540_000), p.getTimestampForRecord(context(1), record("t=509999", 0)));
  }

  @Test
  void aRecordWithoutATimeIsNeverStampedBehindTheWatermark() {
    EventTimePolicy<String> p = policy();
    p.getTimestampForRecord(context(1), record("t=600000", 0));
    assertEquals(new Instant(540_000), p.getTimestampForRecord(context(1), record("garbage", 99)));
    assertFalse(
        EventTimePolicy.isLate(
            EventTimePolicy.progressMillis(
                EventTimePolicyTest::timeOfLine,
                "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                99),
            new Instant(540_000)));
  }

  @Test
  void onAnIdlePartitionARecordBehindThePeersWatermarkIsLate() {
    EventTimePolicy<String> busy = policy();
    EventTimePolicy<String> idle = policy();
    busy.getTimestampForRecord(context(5), record("t=900000", 0));
    nanos.set(IDLE.getMillis() * 1_000_000L);
    assertEquals(new Instant(840_000), idle.getWatermark(context(0)));
    assertEquals(new Instant(840_000), idle.getTimestampForRecord(context(0), record("t=1000", 0)));
  }

  @Test
  void watermarkTrailsTheLargestEventTimeByTheOutOfOrderBoundAndNeverGoesBack() {
    EventTimePolicy<String> p = policy();
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, p.getWatermark(context(1)));
    p.getTimestampForRecord(context(1), record("t=600000", 0));
    p.getTimestampForRecord(context(1), record("t=300000", 0)); // out of order: no step back
    assertEquals(new Instant(600_000 - 60_000), p.getWatermark(context(1)));
  }

  @Test
  void aPartitionWithNothingToReadFollowsItsPeersOnceIdle() {
    EventTimePolicy<String> busy = policy();
    EventTimePolicy<String> empty = policy();
    busy.getTimestampForRecord(context(5), record("t=900000", 0));

    nanos.set(IDLE.getMillis() * 1_000_000L - 1); // not idle yet: holds the watermark back
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, empty.getWatermark(context(0)));

    nanos.set(IDLE.getMillis() * 1_000_000L);
    assertEquals(new Instant(900_000 - 60_000), empty.getWatermark(context(0)));
  }

  /**
   * A burst reaches every partition at about once, but each reader learns of it only at its next
   * backlog check: until then an idle partition must not follow what its peers read of the burst,
   * or its own records of the same burst, read a moment later, would all be late.
   */
  @Test
  void anIdlePartitionFollowsOnlyWhatItsPeersReadBeforeItsBacklogWasChecked() {
    EventTimePolicy<String> busy = policy();
    EventTimePolicy<String> idle = policy();
    EventTimePolicy<String> empty = policy();
    busy.getTimestampForRecord(context(5), record("t=600000", 0));
    nanos.set(IDLE.getMillis() * 1_000_000L);
    Instant checked = new Instant(millis.get());
    millis.addAndGet(300);
    busy.getTimestampForRecord(context(5), record("t=900000", 0)); // the burst, read after
    assertEquals(new Instant(600_000 - 60_000), idle.getWatermark(context(0, checked)));
    // Its own record of the burst, counted at the next check, is on time.
    assertEquals(
        new Instant(880_000), idle.getTimestampForRecord(context(1), record("t=880000", 0)));

    assertEquals(new Instant(600_000 - 60_000), empty.getWatermark(context(0, checked)));
    // Checked again after the burst was read, and still nothing: now it follows.
    assertEquals(new Instant(900_000 - 60_000), empty.getWatermark(context(0)));
  }

  /**
   * On a cluster the partitions with records may be read in another process: this one has seen
   * nothing, and what the broker holds (sampled by TopicProgress) is what an idle partition
   * follows.
   */
  @Test
  void anIdlePartitionFollowsWhatTheBrokerHoldsWhenThisProcessHasSeenNothing() {
    EventTimePolicy<String> empty = policy();
    held.set(900_000);

    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, empty.getWatermark(context(0)));
    assertEquals(0, heldAsked.get(), "the broker's progress is asked only once idle");

    nanos.set(IDLE.getMillis() * 1_000_000L);
    assertEquals(new Instant(900_000 - 60_000), empty.getWatermark(context(0)));
  }

  @Test
  void anIdlePartitionFollowsTheLargerOfWhatThisProcessSawAndWhatTheBrokerHolds() {
    EventTimePolicy<String> busy = policy();
    EventTimePolicy<String> empty = policy();
    busy.getTimestampForRecord(context(5), record("t=900000", 0));
    held.set(700_000); // sampled before the newest records: a lower bound, never ahead
    nanos.set(IDLE.getMillis() * 1_000_000L);
    assertEquals(new Instant(900_000 - 60_000), empty.getWatermark(context(0)));

    held.set(1_200_000);
    assertEquals(new Instant(1_200_000 - 60_000), empty.getWatermark(context(0)));
  }

  /**
   * The broker's progress is asked as of this partition's last backlog check: a sample that
   * finished after it may hold this partition's own records, landed but not yet counted.
   */
  @Test
  void anIdlePartitionFollowsOnlyWhatTheBrokerHeldBeforeItsBacklogWasChecked() {
    EventTimePolicy<String> empty = policy();
    Instant checked = new Instant(millis.get());
    held.set(900_000);
    heldSince.set(millis.get() + 300);
    nanos.set(IDLE.getMillis() * 1_000_000L);
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, empty.getWatermark(context(0, checked)));
    assertEquals(
        new Instant(900_000 - 60_000),
        empty.getWatermark(context(0, new Instant(heldSince.get()))));
  }

  @Test
  void aPartitionWithRecordsIgnoresTheBroker() {
    EventTimePolicy<String> p = policy();
    held.set(5_000_000);
    p.getTimestampForRecord(context(0), record("t=600000", 0));
    assertEquals(new Instant(600_000 - 60_000), p.getWatermark(context(0)));
    assertEquals(0, heldAsked.get());
  }

  @Test
  void aPartitionWithBacklogIsNeverIdle() {
    EventTimePolicy<String> behind = policy();
    policy().getTimestampForRecord(context(0), record("t=900000", 0));
    held.set(900_000);
    nanos.set(3_600_000_000_000L);
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, behind.getWatermark(context(42)));
  }

  private static Instant timeOfLine(String line) {
    return line.startsWith("t=") ? new Instant(Long.parseLong(line.substring(2))) : null;
  }

  private static KafkaRecord<String, byte[]> record(String value, long timestamp) {
    return new KafkaRecord<>(
        "t",
        0,
        0,
        timestamp,
        KafkaTimestampType.CREATE_TIME,
        null,
        "k",
        value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A partition's backlog, as checked just now. */
  private TimestampPolicy.PartitionContext context(long backlog) {
    return context(backlog, new Instant(millis.get()));
  }

  private static TimestampPolicy.PartitionContext context(long backlog, Instant checkedAt) {
    return new TimestampPolicy.PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return backlog;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return checkedAt;
      }
    };
  }
}
