package dev.sluice.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apache.beam.sdk.PipelineResult;

/**
 * Ends a running job when the launcher's JVM is told to stop (Ctrl-C or SIGTERM; {@code ./sluice}
 * forwards both as SIGTERM): cancels the job through its runner, so that a job on a cluster stops
 * too, not only this client, and waits for it at most {@link #STOP_BOUND}. A runner's own shutdown
 * can block the JVM's exit (Spark's {@code StreamingContext.stop} waited for ever on a lock its
 * shutdown hook held), so {@link #HALT_AFTER} after the signal the JVM is halted whatever still
 * runs: a stopped stream always ends within that bound. A runner may have the stop run before its
 * own shutdown hooks ({@link StopHook}).
 */
final class StopOnSignal {
  /** How long the cancel may take before the launcher gives up waiting for it. */
  static final Duration STOP_BOUND = Duration.ofSeconds(30);

  /** When, after the signal, the JVM is halted if it has not ended by itself. */
  static final Duration HALT_AFTER = Duration.ofSeconds(60);

  private StopOnSignal() {}

  /**
   * Installs the stop for {@code run}, in the runner's {@link StopHook} if it has one (found with
   * {@link ServiceLoader}), else as a JVM shutdown hook; run what it returns to remove it once the
   * job has ended.
   */
  static Runnable install(StoppableRun run, String job, String runner, PrintStream err) {
    Runnable stop = () -> stop(run, job, runner, err);
    for (StopHook hook : ServiceLoader.load(StopHook.class)) {
      Optional<Runnable> remove = hook.install(runner, stop, HALT_AFTER);
      if (remove.isPresent()) {
        return remove.get();
      }
    }
    Thread hook = new Thread(stop, "sluice-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    return () -> remove(hook);
  }

  /** Removes the stop (the job has ended); a no-op while the JVM is shutting down. */
  private static void remove(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs, or has run.
    }
  }

  private static void stop(StoppableRun run, String job, String runner, PrintStream err) {
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(HALT_AFTER.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              err.printf(
                  "sluice: %s: the JVM did not end within %d s of the stop; halting it%n",
                  job, HALT_AFTER.toSeconds());
              Runtime.getRuntime().halt(143);
            },
            "sluice-halt");
    halt.setDaemon(true);
    halt.start();
    if (ended(run)) {
      return;
    }
    err.printf(
        "sluice: stopping %s: cancelling it on %s (at most %d s)%n",
        job, runner, STOP_BOUND.toSeconds());
    try {
      run.cancel();
      PipelineResult.State state =
          run.waitUntilFinish(org.joda.time.Duration.millis(STOP_BOUND.toMillis()));
      if (state != null && !state.isTerminal()) {
        err.printf(
            "sluice: %s still %s on %s after %d s; stop it there (docs/runners.md)%n",
            job, state, runner, STOP_BOUND.toSeconds());
      }
    } catch (Exception e) {
      // A runner may forget a job once it is cancelled (Flink's in-process cluster): then it
      // has ended; anything else is worth a line.
      if (!ended(run)) {
        err.printf("sluice: cancelling %s on %s: %s%n", job, runner, Sluice.oneLine(e.toString()));
      }
    }
  }

  private static boolean ended(StoppableRun run) {
    try {
      return run.getState().isTerminal();
    } catch (RuntimeException e) {
      return run.stopRequested();
    }
  }
}
