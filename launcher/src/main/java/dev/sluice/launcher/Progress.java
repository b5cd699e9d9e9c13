package dev.sluice.launcher;

import java.io.PrintStream;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/**
 * While a job runs, one line on stderr every {@code --progressEvery}: how long it has run and its
 * records in and out so far ({@link RecordCounts}), plus what the engine says of itself (Flink:
 * tasks finished). Nothing is printed for a job that ends before the first interval.
 *
 * <p>Where the counts come from: a runner whose {@code run()} returns while the job runs (Spark;
 * the DirectRunner, which {@link Sluice} starts with {@code --blockOnRun=false}) gives a {@link
 * PipelineResult} to ask; a runner whose {@code run()} blocks until the end (Flink) is asked
 * through its own API by a {@link ProgressProbe.Factory} found with {@link ServiceLoader}
 * (runners/flink has one for a session cluster's REST API). Runners publish counters when a bundle
 * ends, so the counts rise in steps: on Flink in batch a step's counters arrive when its task
 * finishes.
 */
final class Progress implements AutoCloseable {
  /** A probe must not block for long; one that does is not waited for beyond this. */
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final ScheduledExecutorService timer;

  private Progress(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * A probe for the job {@code options} describe: a registered factory's, else one that asks the
   * {@link PipelineResult} once {@code run()} has set it.
   */
  static ProgressProbe probeFor(PipelineOptions options, AtomicReference<PipelineResult> result) {
    for (ProgressProbe.Factory factory : ServiceLoader.load(ProgressProbe.Factory.class)) {
      Optional<ProgressProbe> probe = factory.probeFor(options);
      if (probe.isPresent()) {
        return probe.get();
      }
    }
    return () ->
        Optional.ofNullable(result.get())
            .map(RecordCounts::of)
            .map(RecordCounts::describe)
            .filter(s -> !s.isEmpty());
  }

  /** Starts printing; {@code every} null means never (a closed, silent progress). */
  static Progress start(
      String job, String runner, Duration every, ProgressProbe probe, PrintStream err) {
    if (every == null) {
      return new Progress(null);
    }
    long startNanos = System.nanoTime();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-progress");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          long seconds = Math.round((System.nanoTime() - startNanos) / 1e9);
          err.println(line(job, runner, seconds, status(probe)));
        },
        every.getMillis(),
        every.getMillis(),
        TimeUnit.MILLISECONDS);
    return new Progress(timer);
  }

  /** {@code "sluice: word-count running on FlinkRunner, 30 s: 1,200 records read, ..."} */
  static String line(String job, String runner, long seconds, Optional<String> status) {
    return String.format(
        "sluice: %s running on %s, %d s%s",
        job, runner, seconds, status.map(s -> ": " + s).orElse(""));
  }

  private static Optional<String> status(ProgressProbe probe) {
    try {
      return probe.status();
    } catch (RuntimeException e) {
      return Optional.empty(); // a progress line must never break the run it reports on
    }
  }

  /**
   * Stops printing and waits (a few seconds at most) for a line being printed to end: the
   * end-of-run summary printed after this is the last line, never followed by a progress line.
   */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether no line can be printed any more: closed, and a line being printed has ended. */
  boolean stopped() {
    return timer == null || timer.isTerminated();
  }
}
