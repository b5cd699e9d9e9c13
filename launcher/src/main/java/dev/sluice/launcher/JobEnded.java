package dev.sluice.launcher;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How a job that {@link Sluice#run(String[], java.io.PrintStream, java.io.PrintStream, JobWatcher)}
 * launched ended, for a caller in the same JVM (the test kit's job harness).
 *
 * @param job the job's name
 * @param options the options it ran with: where its outputs and dead letters went
 * @param state its final state; null when waiting for it failed (the run threw)
 * @param counts its counters at the end ({@link RecordCounts}); unknown if it never started
 */
public record JobEnded(
    String job, PipelineOptions options, PipelineResult.State state, RecordCounts counts) {}
