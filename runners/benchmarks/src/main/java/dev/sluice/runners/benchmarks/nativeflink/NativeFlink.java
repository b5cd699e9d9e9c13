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
import picocli.CommandLine.Option;

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

  @Mixin Cli.Help help;

  @Mixin NativeFlinkJobFlags flags;

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "Its input.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Its outputs.")
  String output;

  public static void main(String[] args) {
    System.exit(Cli.execute(new NativeFlink(), "native-flink", args, System.out, System.err));
  }

  @Override
  public Integer call() throws Exception {
    NativeFlinkJob job = flags.job();
    int parallelism = flags.parallelism();
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

  private static Map<String, NativeFlinkJob> defaultJobs() {
    Map<String, NativeFlinkJob> jobs = new TreeMap<>();
    NativeFlinkJobs.NAMES.forEach(name -> jobs.put(name, NativeFlinkJobs.withDefaults(name)));
    return Collections.unmodifiableMap(jobs);
  }
}
