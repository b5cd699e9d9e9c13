package dev.sluice.launcher;

import org.apache.beam.sdk.PipelineResult;

/**
 * Hears, in this JVM, what a job the launcher started does (the test kit's job harness): that it
 * was submitted, with the result that can cancel it, and how it ended. A caller passes one to
 * {@link Sluice#run(String[], java.io.PrintStream, java.io.PrintStream, JobWatcher)}.
 */
@FunctionalInterface
public interface JobWatcher {
  /**
   * The runner accepted the job and returned its result while it runs (a stream, or a runner that
   * does not block in {@code run()}); {@code result.cancel()} stops it. Not called for a runner
   * whose {@code run()} returns only at the end.
   */
  default void launched(PipelineResult result) {}

  /** How the job ended ({@link JobEnded}). */
  void ended(JobEnded ended);
}
