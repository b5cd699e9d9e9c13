package dev.sluice.runners.benchmarks.nativeflink;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a native Flink job on an embedded Flink in batch mode: {@code NativeFlink <job> --input=PATH
 * --output=DIR [--parallelism=2]}. Prints {@code native-flink: <job> finished in S s} to standard
 * error, like {@code ./sluice run} does.
 */
public final class NativeFlink {
  private NativeFlink() {}

  /** The jobs with a native version, by Sluice job name, with the Sluice jobs' default settings. */
  public static final Map<String, NativeFlinkJob> JOBS =
      Map.of(
          "word-count",
          new NativeFlinkWordCount(Duration.ofMinutes(10), Duration.ofMinutes(1)),
          "log-analytics",
          new NativeFlinkLogAnalytics(Duration.ofMinutes(5), Duration.ofMinutes(1), 0.05, 20),
          "risk-control",
          new NativeFlinkRiskControl(dev.sluice.pipelines.risk.RiskRules.defaults()));

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !JOBS.containsKey(args[0])) {
      System.err.println("native-flink: the first argument is the job: one of " + JOBS.keySet());
      System.exit(2);
    }
    Map<String, String> flags =
        Arrays.stream(args, 1, args.length)
            .map(a -> a.replaceFirst("^--", "").split("=", 2))
            .collect(Collectors.toMap(kv -> kv[0], kv -> kv.length > 1 ? kv[1] : ""));
    Function<String, String> required =
        name -> {
          String value = flags.get(name);
          if (value == null || value.isEmpty()) {
            System.err.println("native-flink: --" + name + " is required");
            System.exit(2);
          }
          return value;
        };
    NativeFlinkJob job = JOBS.get(args[0]);
    long start = System.nanoTime();
    run(
        job,
        required.apply("input"),
        required.apply("output"),
        Integer.parseInt(flags.getOrDefault("parallelism", "2")));
    System.err.printf(
        Locale.ROOT,
        "native-flink: %s finished in %.1f s%n",
        job.name(),
        (System.nanoTime() - start) / 1e9);
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
