package dev.sluice.pipelines.io;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The largest event time the partitions of one read have read in this JVM, and <b>when</b> each new
 * largest was read (wall clock): what an idle partition's watermark may follow.
 *
 * <p>When matters. An idle partition may only follow what its peers read <i>before</i> the broker
 * last told its reader that it had nothing left ({@code PartitionContext.getBacklogCheckTime()}). A
 * record a peer read after that check may belong to a burst whose records for the idle partition
 * have landed but are not yet counted in its backlog; following it would make those records late.
 * Records written to a partition before its end offset was asked are all read when its backlog is
 * zero, so the rule costs nothing but a backlog check's delay (about a second in KafkaIO's reader).
 *
 * <p>Steps are kept for {@link #RETAIN_MILLIS}; a question about an earlier time gets no answer
 * ({@link Long#MIN_VALUE}), which only delays an idle partition. Records read within {@link
 * #STEP_MILLIS} of a step's first record join that step, which then counts as read at its last
 * record: a question is never answered with a record read after the time asked about.
 */
final class ReadProgress {
  /** How far back {@link #largestReadBy} answers exactly. */
  static final long RETAIN_MILLIS = 60_000;

  /** How long one step may gather records before the next begins (bounds memory at any rate). */
  static final long STEP_MILLIS = 10;

  /** One step: the largest event time read at or before {@code readByMillis}. */
  private static final class Step {
    final long firstReadMillis;
    long readByMillis;
    long largest;

    Step(long readMillis, long largest) {
      this.firstReadMillis = readMillis;
      this.readByMillis = readMillis;
      this.largest = largest;
    }
  }

  /** Ascending in both read time and event time. */
  private final ArrayDeque<Step> steps = new ArrayDeque<>();

  /** The largest event time read so far: the lock-free path for a record that is not the newest. */
  private final AtomicLong largest = new AtomicLong(Long.MIN_VALUE);

  /** A record with event time {@code eventMillis} was read at wall time {@code readMillis}. */
  void read(long eventMillis, long readMillis) {
    if (eventMillis <= largest.get()) {
      return;
    }
    synchronized (this) {
      if (eventMillis <= largest.get()) {
        return;
      }
      largest.set(eventMillis);
      Step last = steps.peekLast();
      if (last != null && readMillis - last.firstReadMillis < STEP_MILLIS) {
        last.readByMillis = Math.max(last.readByMillis, readMillis);
        last.largest = eventMillis;
      } else {
        steps.addLast(new Step(readMillis, eventMillis));
      }
      // Keep the newest step at or before the retention horizon: it answers questions up to it.
      while (steps.size() >= 2) {
        Step first = steps.removeFirst();
        if (steps.getFirst().readByMillis > readMillis - RETAIN_MILLIS) {
          steps.addFirst(first);
          break;
        }
      }
    }
  }

  /** The largest event time read so far, at any time. */
  long largest() {
    return largest.get();
  }

  /**
   * The largest event time of the records read at or before wall time {@code readByMillis}, or
   * {@link Long#MIN_VALUE} when none is known (none read then, or asked further back than kept).
   */
  synchronized long largestReadBy(long readByMillis) {
    Iterator<Step> newestFirst = steps.descendingIterator();
    while (newestFirst.hasNext()) {
      Step step = newestFirst.next();
      if (step.readByMillis <= readByMillis) {
        return step.largest;
      }
    }
    return Long.MIN_VALUE;
  }
}
