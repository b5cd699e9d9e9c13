package dev.sluice.runners.benchmarks.nativeflink;

import dev.sluice.launcher.cli.Cli;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The flags both native Flink mains take, batch and stream: the job, its windows (the Sluice job's
 * defaults when not given) and Flink's parallelism, checked with one-line usage errors.
 */
final class NativeFlinkJobFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "JOB", description = "word-count, log-analytics, ...")
  String jobName;

  @Option(
      names = "--windowSize",
      paramLabel = "DURATION",
      description = "The Sluice job's default.")
  String windowSize;

  @Option(
      names = "--windowPeriod",
      paramLabel = "DURATION",
      description = "The Sluice job's default.")
  String windowPeriod;

  @Option(names = "--parallelism", paramLabel = "N", description = "Flink's parallelism (2).")
  int parallelism = 2;

  /**
   * The native version of the job with the window flags.
   *
   * @throws ParameterException the one-line usage error: the job or flag, and what is allowed
   */
  NativeFlinkJob job() {
    try {
      return NativeFlinkJobs.create(jobName, windowSize, windowPeriod);
    } catch (IllegalArgumentException e) {
      throw Cli.usage(spec, e.getMessage());
    }
  }

  /** The parallelism, checked. */
  int parallelism() {
    if (parallelism < 1) {
      throw Cli.usage(
          spec, "--parallelism: '" + parallelism + "' is not allowed; allowed: 1 or more");
    }
    return parallelism;
  }
}
