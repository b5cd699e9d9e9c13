package dev.sluice.launcher;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the launcher's stop on Ctrl-C or SIGTERM ({@link StopOnSignal}) runs for one runner. By
 * default it is a JVM shutdown hook of its own, which the JVM runs at the same time as the runner's
 * hooks. A runner whose own hooks break a job that is still running registers one of these in
 * {@code META-INF/services/dev.sluice.launcher.StopHook}, so that the stop runs before them
 * (Spark's local executor stops itself on shutdown, and a streaming batch waiting on it then never
 * ends).
 */
public interface StopHook {
  /**
   * Installs {@code stop}, which ends within {@code bound}, to run when the JVM is told to stop and
   * before the runner's own shutdown hooks, if {@code runner} (its class's simple name) is this
   * hook's; returns what removes it again, or empty for another runner.
   */
  Optional<Runnable> install(String runner, Runnable stop, Duration bound);
}
