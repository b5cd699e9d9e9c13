package dev.sluice.runners.spark;

import dev.sluice.launcher.StopHook;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * The launcher's stop on Ctrl-C or SIGTERM runs before Spark's own shutdown hooks. Spark runs its
 * hooks as one hook of Hadoop's {@link ShutdownHookManager}, highest priority first, and the first
 * of them stops the local executor: a streaming batch still running (Beam's Kafka read collects
 * each batch's watermarks while it holds the stream's graph lock) then waits for ever for its
 * tasks, and Beam's stop and Spark's own {@code StreamingContext} hook wait on it, until the
 * launcher halts the JVM. Run as a Hadoop hook of a higher priority, the stop cancels the job while
 * the executor still works; Spark's hooks then find the stream stopped.
 */
public final class SparkStopHook implements StopHook {
  /** Above Spark's hooks (Hadoop priority {@code FileSystem.SHUTDOWN_HOOK_PRIORITY + 30}). */
  static final int PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 100;

  private static final Set<String> SPARK = Set.of("SparkRunner", "TestSparkRunner");

  @Override
  public Optional<Runnable> install(String runner, Runnable stop, Duration bound) {
    if (!SPARK.contains(runner)) {
      return Optional.empty();
    }
    ShutdownHookManager hooks = ShutdownHookManager.get();
    hooks.addShutdownHook(stop, PRIORITY, bound.toMillis(), TimeUnit.MILLISECONDS);
    return Optional.of(
        () -> {
          if (!hooks.isShutdownInProgress()) {
            hooks.removeShutdownHook(stop);
          }
        });
  }
}
