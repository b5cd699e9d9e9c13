package dev.sluice.runners.benchmarks.nativeflink;

import dev.sluice.launcher.cli.Cli;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs a native Flink job on an embedded Flink in batch mode: {@code NativeFlink <job> --input=PATH
 * --output=DIR [--windowSize=10m] [--windowPeriod=1m] [--parallelism=2]} (the window flags default
 * to the Sluice job's). Prints {@code native-flink: <job> finished in S s} to standard error, like
 * {@code ./sluice run} does.
 */
@Command(name = "native-flink", description = "A job as a native Flink job, embedded, batch.")
public final class NativeFlink implements Callable<Integer> {
  /** The jobs with a native version, by Sluice job name, with the Sluice jobs' default settings. */
  public static final Map<String, NativeFlinkJob> JOBS = defaultJobs();

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  @Parameters(index = "0", paramLabel = "JOB", description = "word-count, log-analytics, ...")
  String jobName;

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "Its input.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Its outputs.")
  String output;

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

  public static void main(String[] args) {
    System.exit(Cli.execute(new NativeFlink(), "native-flink", args, System.out, System.err));
  }

  @Override
  public Integer call() throws Exception {
    NativeFlinkJob job = job(spec, jobName, windowSize, windowPeriod);
    checkParallelism(spec, parallelism);
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
    StreamExecutionEnvironment env = LocalFlink.batchEnvironment(parallelism);
    job.build(env, new NativeFlinkFileIo(input, output));
    env.execute("native-" + job.name());
  }

  /**
   * The native version of {@code name} with the window flags (null: the Sluice job's default).
   *
   * @throws ParameterException the one-line usage error: the job or flag, and what is allowed
   */
  static NativeFlinkJob job(CommandSpec spec, String name, String windowSize, String windowPeriod) {
    try {
      return NativeFlinkJobs.create(name, windowSize, windowPeriod);
    } catch (IllegalArgumentException e) {
      throw Cli.usage(spec, e.getMessage());
    }
  }

  static void checkParallelism(CommandSpec spec, int parallelism) {
    if (parallelism < 1) {
      throw Cli.usage(
          spec, "--parallelism: '" + parallelism + "' is not allowed; allowed: 1 or more");
    }
  }

  private static Map<String, NativeFlinkJob> defaultJobs() {
    Map<String, NativeFlinkJob> jobs = new TreeMap<>();
    NativeFlinkJobs.NAMES.forEach(name -> jobs.put(name, NativeFlinkJobs.withDefaults(name)));
    return Collections.unmodifiableMap(jobs);
  }
}
