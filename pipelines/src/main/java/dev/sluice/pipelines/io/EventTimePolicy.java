package dev.sluice.pipelines.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time for a Kafka read, from the record itself and never from the wall clock.
 *
 * <ul>
 *   <li>A record's time is what {@code eventTime} reads from its value (for example the {@code ts}
 *       field of a JSON line), or, with {@link #RECORD_TIMESTAMP}, the Kafka record's own
 *       timestamp. A record whose value gives no time (one the parser will refuse) keeps its Kafka
 *       timestamp but does not move the watermark: a bad record stamped with the wall clock must
 *       not make every good record after it late.
 *   <li>Each partition's watermark is the largest event time it has seen minus {@code
 *       maxOutOfOrderness}: records may arrive that much out of order without being late.
 *   <li>A partition that has had nothing to read for {@code idleAfter} (of processing time) is
 *       idle: its watermark follows the largest event time known of the other partitions of this
 *       read, minus the same bound, instead of holding every window open for ever. Known means read
 *       by the partitions read in this JVM ({@link ReadProgress}), or held by the broker as {@link
 *       TopicProgress} samples it (at most once per {@code idleAfter}, at least a second apart, in
 *       the background): on a cluster the partitions with records may be read by another process,
 *       and a process whose partitions are all empty must still advance. Both count only what was
 *       known before this partition's backlog was last checked, so that a burst on its way cannot
 *       make its own records late; both are lower bounds of what the other partitions hold, so the
 *       watermark is never ahead of what the bound allows for their records. A record that later
 *       reaches an idle partition with an older time may then be late.
 *   <li>A record whose event time is behind its partition's watermark by more than {@code
 *       allowedLateness} when it is read is <b>late</b>: it would fall into windows that have
 *       closed, or are closing, and a runner would drop it without a trace. It is stamped with that
 *       watermark instead of its event time, so no window downstream drops it, and the read turns
 *       it into a {@link dev.sluice.transforms.quality.RawRecord#late late} record for the dead
 *       letters ({@link #isLate}). Its partition's watermark here is the largest of the one last
 *       reported and the largest event time read so far minus {@code maxOutOfOrderness}, so
 *       lateness does not depend on when the runner asked: in a partition that is not idle, a
 *       record is late exactly when it is more than the out-of-order bound plus the allowed
 *       lateness behind the newest record read before it from that partition.
 *   <li>A record whose value gives no time (one the parser will refuse) is stamped no earlier than
 *       the watermark either, so that its dead letter is never dropped as late.
 * </ul>
 *
 * <p>The wall clock only measures idleness; it never becomes an event time or a watermark.
 */
final class EventTimePolicy<K> extends TimestampPolicy<K, byte[]> {
  /** Event time is the Kafka record's timestamp (set by the producer): no value is parsed. */
  static final SerializableFunction<String, @Nullable Instant> RECORD_TIMESTAMP =
      new RecordTimestamp();

  private static final class RecordTimestamp
      implements SerializableFunction<String, @Nullable Instant> {
    @Override
    public @Nullable Instant apply(String value) {
      return null;
    }
  }

  /** What each read (by its id) has read, shared by the partitions read in one JVM. */
  private static final Map<String, ReadProgress> PROGRESS_BY_READ = new ConcurrentHashMap<>();

  /** The broker's progress per read (by its id): one sampler per read and JVM. */
  private static final Map<String, TopicProgress> HELD_BY_READ = new ConcurrentHashMap<>();

  /** The shortest time between two samples of the broker, whatever {@code idleAfter} is. */
  private static final java.time.Duration MIN_SAMPLE_INTERVAL = java.time.Duration.ofSeconds(1);

  private final SerializableFunction<String, @Nullable Instant> eventTime;
  private final Duration maxOutOfOrderness;
  private final Duration idleAfter;
  private final Duration allowedLateness;
  private final ReadProgress readProgress;
  private final LongUnaryOperator heldByTopic;
  private final LongSupplier nanoClock;
  private final LongSupplier millisClock;
  private long maxSeen = Long.MIN_VALUE;
  private long lastRecordNanos;
  private Instant watermark;

  EventTimePolicy(
      SerializableFunction<String, @Nullable Instant> eventTime,
      Duration maxOutOfOrderness,
      Duration idleAfter,
      Duration allowedLateness,
      ReadProgress readProgress,
      LongUnaryOperator heldByTopic,
      Optional<Instant> previousWatermark,
      LongSupplier nanoClock,
      LongSupplier millisClock) {
    this.eventTime = eventTime;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.idleAfter = idleAfter;
    this.allowedLateness = allowedLateness;
    this.readProgress = readProgress;
    this.heldByTopic = heldByTopic;
    this.nanoClock = nanoClock;
    this.millisClock = millisClock;
    this.lastRecordNanos = nanoClock.getAsLong();
    this.watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  /**
   * A factory for KafkaIO: one policy per partition, all of one read sharing, in each JVM, what its
   * partitions have read and the broker's sampled progress ({@code scan}), through a per-read id so
   * two reads in one JVM never mix.
   */
  static <K> TimestampPolicyFactory<K, byte[]> factory(
      SerializableFunction<String, @Nullable Instant> eventTime,
      Duration maxOutOfOrderness,
      Duration idleAfter,
      Duration allowedLateness,
      TopicProgress.BrokerScan scan,
      String topic) {
    String readId = UUID.randomUUID().toString();
    java.time.Duration every =
        java.time.Duration.ofMillis(
            Math.max(idleAfter.getMillis(), MIN_SAMPLE_INTERVAL.toMillis()));
    return (TopicPartition partition, Optional<Instant> previousWatermark) ->
        new EventTimePolicy<>(
            eventTime,
            maxOutOfOrderness,
            idleAfter,
            allowedLateness,
            PROGRESS_BY_READ.computeIfAbsent(readId, id -> new ReadProgress()),
            HELD_BY_READ.computeIfAbsent(
                readId, id -> TopicProgress.inBackground(scan, every, topic)),
            previousWatermark,
            System::nanoTime,
            System::currentTimeMillis);
  }

  /**
   * The event time of a record: what {@code eventTime} reads from its value, else (nothing, or it
   * threw) the Kafka record's timestamp.
   */
  static Instant timeOf(
      SerializableFunction<String, @Nullable Instant> eventTime,
      @Nullable String value,
      long recordTimestamp) {
    Instant time = valueTime(eventTime, value);
    return time != null ? time : new Instant(Math.max(0L, recordTimestamp));
  }

  private static @Nullable Instant valueTime(
      SerializableFunction<String, @Nullable Instant> eventTime, @Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return eventTime.apply(value);
    } catch (RuntimeException e) {
      return null; // the parser downstream sends this record to the dead letters
    }
  }

  /**
   * The event time a record shows progress with, or null when it shows none: what {@code eventTime}
   * reads from its (UTF-8) value, or its Kafka timestamp with {@link #RECORD_TIMESTAMP}; a value
   * without a readable time (a dead letter to be) shows none, and is never late.
   */
  static @Nullable Long progressMillis(
      SerializableFunction<String, @Nullable Instant> eventTime,
      byte @Nullable [] value,
      long recordTimestamp) {
    if (eventTime instanceof RecordTimestamp) {
      return Math.max(0L, recordTimestamp);
    }
    Instant fromValue = valueTime(eventTime, strictUtf8OrNull(value));
    return fromValue == null ? null : fromValue.getMillis();
  }

  /**
   * Whether a record stamped {@code timestamp} by this policy was late: stamped later than the time
   * it shows progress with ({@link #progressMillis}), which only a late record is.
   */
  static boolean isLate(@Nullable Long progressMillis, Instant timestamp) {
    return progressMillis != null && timestamp.getMillis() > progressMillis;
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<K, byte[]> record) {
    lastRecordNanos = nanoClock.getAsLong();
    // The same rule as the broker's samples (TopicProgress), so both measure progress alike.
    Long millis = progressMillis(eventTime, record.getKV().getValue(), record.getTimestamp());
    long watermarkNow = watermarkNow();
    if (millis == null) {
      // Unreadable: on its way to the dead letters, not a measure of progress; never late there.
      return new Instant(Math.max(Math.max(0L, record.getTimestamp()), watermarkNow));
    }
    if (watermarkNow != Long.MIN_VALUE && millis < watermarkNow - allowedLateness.getMillis()) {
      return new Instant(watermarkNow); // late: see the class comment
    }
    maxSeen = Math.max(maxSeen, millis);
    readProgress.read(millis, millisClock.getAsLong());
    return new Instant(millis);
  }

  /** This partition's watermark as of now: the one last reported, or what its records make it. */
  private long watermarkNow() {
    long own = maxSeen == Long.MIN_VALUE ? Long.MIN_VALUE : maxSeen - maxOutOfOrderness.getMillis();
    long reported =
        watermark.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)
            ? watermark.getMillis()
            : Long.MIN_VALUE;
    return Math.max(own, reported);
  }

  /** The value as text, or null when it is not UTF-8 (such a record goes to the dead letters). */
  private static @Nullable String strictUtf8OrNull(byte @Nullable [] value) {
    if (value == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    long candidate =
        maxSeen == Long.MIN_VALUE ? Long.MIN_VALUE : maxSeen - maxOutOfOrderness.getMillis();
    // Unknown backlog (negative) counts as drained: it stays unknown on a partition never written.
    boolean drained = ctx.getMessageBacklog() <= 0;
    boolean quiet = nanoClock.getAsLong() - lastRecordNanos >= idleAfter.getMillis() * 1_000_000L;
    if (drained && quiet) {
      // Only what was known before this partition's backlog was checked (see ReadProgress).
      // The broker is asked (sampled, never waited for) only here: by idle partitions.
      long checkedAt = ctx.getBacklogCheckTime().getMillis();
      long shared =
          Math.max(readProgress.largestReadBy(checkedAt), heldByTopic.applyAsLong(checkedAt));
      if (shared != Long.MIN_VALUE) {
        candidate = Math.max(candidate, shared - maxOutOfOrderness.getMillis());
      }
    }
    if (candidate != Long.MIN_VALUE && candidate > watermark.getMillis()) {
      watermark = new Instant(Math.min(candidate, BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis()));
    }
    return watermark;
  }
}
