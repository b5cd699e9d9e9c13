package dev.sluice.launcher;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The commands whose code needs an engine and so lives in a runner module: the launcher (engine-
 * free) finds their picocli main by name on the classpath {@code ./sluice} chose for them (runners/
 * direct for the demo and the Kafka read benchmark, runners/flink and runners/spark for their
 * clusters, runners/benchmarks for the bench) and hands it the arguments, with the folders of the
 * repository {@code ./sluice} runs from as defaults.
 */
enum RunnerCommand {
  DEMO("dev.sluice.runners.direct.Demo", "direct"),
  KAFKA_BENCH("dev.sluice.runners.direct.KafkaReadBenchmark", "direct"),
  BENCH("dev.sluice.runners.benchmarks.Bench", "benchmarks"),
  CLUSTER_FLINK("dev.sluice.runners.flink.FlinkClusterMain", "flink"),
  CLUSTER_SPARK("dev.sluice.runners.spark.SparkClusterMain", "spark");

  private final String mainClass;
  private final String module;

  RunnerCommand(String mainClass, String module) {
    this.mainClass = mainClass;
    this.module = module;
  }

  /**
   * Runs the command's main with {@code args}; its main ends the JVM with its exit code. Returns
   * only when the main does.
   */
  int run(String[] args) {
    Method main;
    try {
      main = Class.forName(mainClass).getMethod("main", String[].class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new Sluice.UsageException(
          "this command runs on the classpath of runners/"
              + module
              + ", not this one's; run it through ./sluice, which picks it");
    }
    try {
      main.invoke(null, (Object) args);
      return Sluice.OK;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * {@code cluster flink|spark start|stop|status [flags]}: the cluster's folder is the repository's
   * {@code target/<engine>-cluster} unless {@code --dir} says, and a Spark cluster's jars are those
   * the Spark module resolved.
   */
  static int cluster(String[] args, PrintStream out) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.println(
          "Usage: ./sluice cluster flink|spark start|stop|status [--dir=DIR] [flags]\n"
              + "A local Flink session cluster (a JobManager and --taskmanagers=N TaskManagers) or"
              + " Spark standalone cluster (a master and --workers=N workers), each process in its"
              + " own JVM on 127.0.0.1; ./sluice cluster ENGINE COMMAND --help: its flags.");
      return args.length == 0 ? Sluice.USAGE : Sluice.OK;
    }
    RunnerCommand command =
        switch (args[0]) {
          case "flink" -> CLUSTER_FLINK;
          case "spark" -> CLUSTER_SPARK;
          default ->
              throw new Sluice.UsageException(
                  "cluster: unknown engine '" + args[0] + "'; engines: flink, spark");
        };
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    boolean help = Arrays.stream(rest).anyMatch(a -> a.equals("--help") || a.equals("-h"));
    boolean sub = rest.length > 0 && !rest[0].startsWith("-");
    Optional<Path> root = BundledJar.repositoryRoot();
    if (sub && !help && root.isPresent()) {
      if (Arrays.stream(rest).noneMatch(a -> a.startsWith("--dir="))) {
        rest = Sluice.append(rest, "--dir=" + root.get().resolve("target/" + args[0] + "-cluster"));
      }
      if (command == CLUSTER_SPARK
          && rest[0].equals("start")
          && Arrays.stream(rest).noneMatch(a -> a.startsWith("--jars-file="))) {
        rest =
            Sluice.append(
                rest,
                "--jars-file="
                    + root.get().resolve("runners/spark/target/spark-home-classpath.txt"));
      }
    }
    return command.run(rest);
  }
}
