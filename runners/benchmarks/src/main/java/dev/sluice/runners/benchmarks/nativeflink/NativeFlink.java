package dev.sluice.runners.benchmarks.nativeflink;

import dev.sluice.launcher.cli.Cli;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs a native Flink job on an embedded Flink in batch mode: {@code NativeFlink <job> --input=PATH
 * --output=DIR [--parallelism=2]}. Prints {@code native-flink: <job> finished in S s} to standard
 * error, like {@code ./sluice run} does.
 */
@Command(name = "native-flink", description = "A job as a native Flink job, embedded, batch.")
public final class NativeFlink implements Callable<Integer> {
  /** The jobs with a native version, by Sluice job name, with the Sluice jobs' default settings. */
  public static final Map<String, NativeFlinkJob> JOBS =
      Map.of(
          "word-count",
          new NativeFlinkWordCount(Duration.ofMinutes(10), Duration.ofMinutes(1)),
          "log-analytics",
          new NativeFlinkLogAnalytics(Duration.ofMinutes(5), Duration.ofMinutes(1), 0.05, 20),
          "risk-control",
          new NativeFlinkRiskControl(dev.sluice.pipelines.risk.RiskRules.defaults()));

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  @Parameters(index = "0", paramLabel = "JOB", description = "word-count, log-analytics, ...")
  String jobName;

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "Its input.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Its outputs.")
  String output;

  @Option(names = "--parallelism", paramLabel = "N", description = "Flink's parallelism (2).")
  int parallelism = 2;

  public static void main(String[] args) {
    System.exit(Cli.execute(new NativeFlink(), "native-flink", args, System.out, System.err));
  }

  @Override
  public Integer call() throws Exception {
    NativeFlinkJob job = JOBS.get(jobName);
    if (job == null) {
      throw Cli.usage(
          spec,
          "unknown job '"
              + jobName
              + "'; jobs: "
              + String.join(", ", new TreeSet<>(JOBS.keySet())));
    }
    if (parallelism < 1) {
      throw Cli.usage(
          spec, "--parallelism: '" + parallelism + "' is not allowed; allowed: 1 or more");
    }
    long start = System.nanoTime();
    run(job, input, output, parallelism);
    System.err.printf(
        Locale.ROOT,
        "native-flink: %s finished in %.1f s%n",
        job.name(),
        (System.nanoTime() - start) / 1e9);
    return Cli.OK;
  }

  /**
   * Builds and runs {@code job} on an embedded Flink with {@code parallelism}; blocks until done.
   */
  public static void run(NativeFlinkJob job, String input, String output, int parallelism)
      throws Exception {
    StreamExecutionEnvironment env = NativeFlinkIo.localBatchEnvironment(parallelism);
    job.build(env, input, output);
    env.execute("native-" + job.name());
  }
}
