package dev.sluice.launcher;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.joda.time.Duration;

/**
 * A running job's result as the launcher hands it out ({@link JobWatcher#launched}): the runner's
 * own, remembering whether someone asked it to stop. A runner may lose track of a job it cancelled
 * (Flink's in-process cluster shuts down with the job, and asking its state then throws), so the
 * launcher must know that the end it sees was asked for, not a failure.
 */
final class StoppableRun implements PipelineResult {
  private final PipelineResult result;
  private final AtomicBoolean stopRequested = new AtomicBoolean();

  StoppableRun(PipelineResult result) {
    this.result = result;
  }

  /** Whether {@link #cancel} was called. */
  boolean stopRequested() {
    return stopRequested.get();
  }

  @Override
  public State cancel() throws IOException {
    stopRequested.set(true);
    return result.cancel();
  }

  @Override
  public State getState() {
    return result.getState();
  }

  @Override
  public State waitUntilFinish(Duration duration) {
    return result.waitUntilFinish(duration);
  }

  @Override
  public State waitUntilFinish() {
    return result.waitUntilFinish();
  }

  @Override
  public MetricResults metrics() {
    return result.metrics();
  }
}
