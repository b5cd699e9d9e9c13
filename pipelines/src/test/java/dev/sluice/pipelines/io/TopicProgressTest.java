package dev.sluice.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link TopicProgress} asks the broker at most once per interval, never while a sample is under
 * way, never on the caller's thread, only ever raises what it knows, and answers as of a wall time
 * with the samples finished by then. The scan here stands for the broker's answers; {@code
 * FlinkTwoTaskManagersIT} proves the real one on a cluster.
 */
class TopicProgressTest {
  private static final Duration EVERY = Duration.ofSeconds(1);
  private final AtomicLong nanos = new AtomicLong(0);
  private final AtomicLong millis = new AtomicLong(1_000_000);
  private final Queue<Long> answers = new ArrayDeque<>();
  private final List<Map<Integer, Long>> askedFrom = new ArrayList<>();

  /** A scan that answers the next queued value and moves partition 0 on by 10 offsets. */
  private final TopicProgress.Scan scan =
      from -> {
        askedFrom.add(Map.copyOf(from));
        from.merge(0, 10L, Long::sum);
        Long next = answers.poll();
        if (next == null) {
          throw new IllegalStateException("broker unreachable");
        }
        return next;
      };

  @Test
  void samplesAtMostOncePerInterval() {
    TopicProgress progress = new TopicProgress(scan, EVERY, nanos::get, millis::get, Runnable::run);
    answers.addAll(List.of(900_000L, 1_000_000L));

    assertEquals(900_000, progress.applyAsLong(Long.MAX_VALUE));
    nanos.set(EVERY.toNanos() - 1);
    assertEquals(900_000, progress.applyAsLong(Long.MAX_VALUE));
    assertEquals(1, askedFrom.size());

    nanos.set(EVERY.toNanos());
    assertEquals(1_000_000, progress.applyAsLong(Long.MAX_VALUE));
    assertEquals(2, askedFrom.size());
  }

  @Test
  void neverWaitsForASampleNorStartsASecondOneWhileItRuns() {
    Queue<Runnable> background = new ArrayDeque<>();
    TopicProgress progress =
        new TopicProgress(scan, EVERY, nanos::get, millis::get, background::add);
    answers.add(900_000L);

    assertEquals(
        Long.MIN_VALUE, progress.applyAsLong(Long.MAX_VALUE)); // started, not finished: nothing yet
    nanos.set(5 * EVERY.toNanos());
    assertEquals(Long.MIN_VALUE, progress.applyAsLong(Long.MAX_VALUE));
    assertEquals(1, background.size(), "one sample at a time");

    background.poll().run();
    assertEquals(900_000, progress.applyAsLong(Long.MAX_VALUE));
  }

  @Test
  void knowsOnlyMoreAndKeepsItsPlaceInEachPartition() {
    TopicProgress progress = new TopicProgress(scan, EVERY, nanos::get, millis::get, Runnable::run);
    answers.addAll(List.of(900_000L, Long.MIN_VALUE, 500_000L));

    progress.applyAsLong(Long.MAX_VALUE);
    nanos.set(EVERY.toNanos());
    assertEquals(900_000, progress.applyAsLong(Long.MAX_VALUE), "nothing new in the partitions");
    nanos.set(2 * EVERY.toNanos());
    assertEquals(900_000, progress.applyAsLong(Long.MAX_VALUE), "newer records with older times");
    assertEquals(List.of(Map.of(), Map.of(0, 10L), Map.of(0, 20L)), askedFrom);
  }

  @Test
  void aFailedSampleKeepsWhatWasKnownAndTheNextOneTriesAgain() {
    TopicProgress progress = new TopicProgress(scan, EVERY, nanos::get, millis::get, Runnable::run);
    answers.add(900_000L);
    progress.applyAsLong(Long.MAX_VALUE);

    nanos.set(EVERY.toNanos()); // no answer queued: the scan throws
    assertEquals(900_000, progress.applyAsLong(Long.MAX_VALUE));

    answers.add(1_200_000L);
    nanos.set(2 * EVERY.toNanos());
    assertEquals(1_200_000, progress.applyAsLong(Long.MAX_VALUE));
  }

  /**
   * A sample read up to end offsets fetched before it finished: a partition whose backlog was last
   * checked before that may not yet have read its own records among them.
   */
  @Test
  void answersAsOfAWallTimeWithTheSamplesFinishedByThen() {
    Queue<Runnable> background = new ArrayDeque<>();
    TopicProgress progress =
        new TopicProgress(scan, EVERY, nanos::get, millis::get, background::add);
    answers.add(900_000L);
    long before = millis.get();
    progress.applyAsLong(before);
    millis.addAndGet(250);
    background.poll().run(); // finishes 250 ms after it was asked for

    assertEquals(Long.MIN_VALUE, progress.applyAsLong(before));
    assertEquals(Long.MIN_VALUE, progress.applyAsLong(millis.get() - 1));
    assertEquals(900_000, progress.applyAsLong(millis.get()));
  }
}
