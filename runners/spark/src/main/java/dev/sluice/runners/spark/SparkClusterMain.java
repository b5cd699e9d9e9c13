package dev.sluice.runners.spark;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.cli.Cli.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sluice cluster spark start|stop|status}: a {@link SparkCluster} whose master and workers
 * outlive this JVM. Flags: {@code --dir=DIR} (required; the launcher passes target/spark-cluster),
 * {@code --port=7077}, {@code --webui-port=8080}, {@code --workers=1}, {@code
 * --worker-webui-port=0} (0: any free port; else worker I takes PORT + I - 1), {@code --cores=2}
 * and {@code --memory=3g} (of each worker) and {@code --jars-file=FILE} (Spark's jars, one
 * classpath line, as runners/spark writes it in target/spark-home-classpath.txt). Flags follow
 * {@link Cli}'s grammar. Exit 0 on success, 1 when the cluster cannot start or is not running, 2 on
 * a bad flag.
 */
@Command(
    name = "spark",
    description =
        "A local Spark standalone cluster: a master and workers, each its own JVM on 127.0.0.1.",
    subcommands = {
      SparkClusterMain.Start.class,
      SparkClusterMain.Stop.class,
      SparkClusterMain.Status.class
    })
public final class SparkClusterMain implements Callable<Integer> {
  static final String NAME = "sluice cluster spark";

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  public static void main(String[] args) {
    System.exit(Cli.execute(new SparkClusterMain(), NAME, args, System.out, System.err));
  }

  @Override
  public Integer call() {
    throw Cli.usage(spec, "a command is required; commands: start, stop, status");
  }

  /** {@code --dir}, shared by the three commands. */
  static final class DirOption {
    @Option(
        names = "--dir",
        required = true,
        paramLabel = "DIR",
        description = "Pids and logs of the cluster (./sluice passes target/spark-cluster).")
    Path dir;

    Path absolute() {
      return dir.toAbsolutePath().normalize();
    }
  }

  /** A check of a number flag's range: one line naming it, exit 2. */
  static int inRange(CommandSpec spec, String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw Cli.usage(spec, flag + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  @Command(name = "start", description = "Start the cluster in the background.")
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Cli.Help help;
    @Mixin DirOption dir;

    @Option(names = "--port", paramLabel = "N", description = "The master's port (7077).")
    int port = 7077;

    @Option(names = "--webui-port", paramLabel = "N", description = "Its web UI's port (8080).")
    int webUiPort = 8080;

    @Option(
        names = "--workers",
        paramLabel = "N",
        description =
            "How many workers, each its own JVM (1; at most "
                + SparkCluster.MAX_WORKERS
                + "). With more than one, an application gets an executor on each.")
    int workers = SparkCluster.DEFAULT_WORKERS;

    @Option(
        names = "--worker-webui-port",
        paramLabel = "N",
        description = "Worker 1's web UI port, worker I's is N + I - 1 (0: any free ports).")
    int workerWebUiPort = 0;

    @Option(names = "--cores", paramLabel = "N", description = "Each worker's cores (2).")
    int cores = 2;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Each worker's memory (3g).")
    String memory = "3g";

    @Option(
        names = "--jars-file",
        required = true,
        paramLabel = "FILE",
        description = "Spark's jars, one classpath line (./sluice passes it).")
    Path jarsFile;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        description = "How long to wait for the workers (60).")
    int timeoutSeconds = 60;

    @Override
    public Integer call() throws Failure {
      inRange(spec, "--port", port, 1, 65535);
      inRange(spec, "--webui-port", webUiPort, 1, 65535);
      inRange(spec, "--workers", workers, 1, SparkCluster.MAX_WORKERS);
      // N workers take N ports from --worker-webui-port on.
      inRange(spec, "--worker-webui-port", workerWebUiPort, 0, 65536 - workers);
      inRange(spec, "--cores", cores, 1, 64);
      inRange(spec, "--timeout", timeoutSeconds, 1, 600);
      try {
        List<Path> jars =
            Arrays.stream(Files.readString(jarsFile).trim().split(":"))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .toList();
        SparkCluster.Settings settings =
            new SparkCluster.Settings(
                dir.absolute(),
                port,
                webUiPort,
                workerWebUiPort,
                workers,
                cores,
                memory,
                jars,
                Duration.ofSeconds(timeoutSeconds));
        return start(dir.absolute(), settings);
      } catch (IllegalArgumentException e) { // a setting SparkCluster refuses, e.g. --memory
        throw Cli.usage(spec, e.getMessage());
      } catch (IOException e) {
        throw new Failure(e.toString(), e);
      }
    }
  }

  @Command(name = "stop", description = "Stop exactly the master and workers DIR started.")
  static final class Stop implements Callable<Integer> {
    @Mixin Cli.Help help;
    @Mixin DirOption dir;

    @Override
    public Integer call() throws Failure {
      try {
        return stop(dir.absolute());
      } catch (IOException e) {
        throw new Failure(e.toString(), e);
      }
    }
  }

  @Command(name = "status", description = "Its workers, cores and running applications.")
  static final class Status implements Callable<Integer> {
    @Mixin Cli.Help help;
    @Mixin DirOption dir;

    @Override
    public Integer call() throws Failure {
      try {
        return status(dir.absolute());
      } catch (IOException e) {
        throw new Failure(e.toString(), e);
      }
    }
  }

  private static int start(Path dir, SparkCluster.Settings settings) throws IOException {
    Optional<SparkCluster> running = SparkCluster.running(dir);
    if (running.isPresent()) {
      System.out.printf(
          "A Spark cluster from %s is already running at %s (web UI %s); stop it with ./sluice"
              + " cluster spark stop --dir=%s%n",
          dir, running.get().masterUrl(), running.get().webUi(), dir);
      return 0;
    }
    long start = System.nanoTime();
    SparkCluster cluster;
    try {
      cluster = SparkCluster.start(settings);
    } catch (SparkCluster.StartException e) {
      System.err.println("sluice: cluster spark start: " + e.getMessage());
      return 1;
    }
    SparkCluster.Status status = cluster.status();
    System.out.printf(
        "Spark cluster ready in %.1f s at %s: %d worker(s), %d cores; web UI %s; pids, logs and"
            + " executor logs (work/) in %s%n",
        (System.nanoTime() - start) / 1e9,
        cluster.masterUrl(),
        status.aliveWorkers(),
        status.cores(),
        cluster.webUi(),
        dir);
    System.out.printf(
        "Submit with: ./sluice run <job> --runner=spark --sparkMaster=%s ...%n",
        cluster.masterUrl());
    return 0;
  }

  private static int stop(Path dir) throws IOException {
    // A worker may outlive its master: stop whatever the pid files still name.
    if (SparkCluster.running(dir).isEmpty() && SparkCluster.liveWorkers(dir).isEmpty()) {
      SparkCluster.stop(dir, Duration.ofSeconds(30)); // removes stale pid files
      System.out.println("No Spark cluster running from " + dir + ".");
      return 0;
    }
    List<String> lines = SparkCluster.stop(dir, Duration.ofSeconds(30));
    lines.forEach(line -> System.out.println("Spark cluster " + dir + ": " + line));
    return 0;
  }

  private static int status(Path dir) throws IOException {
    Optional<SparkCluster> running = SparkCluster.running(dir);
    if (running.isEmpty()) {
      System.out.println(
          "No Spark cluster running from " + dir + "; start one with ./sluice cluster spark start");
      return 1;
    }
    SparkCluster cluster = running.get();
    System.out.printf(
        "Spark cluster %s (web UI %s, folder %s)%n", cluster.masterUrl(), cluster.webUi(), dir);
    try {
      System.out.println(cluster.status().describe());
    } catch (IOException e) {
      System.out.println(
          "the master (pid file in " + dir + ") is running but does not answer: " + e.getMessage());
      return 1;
    }
    return 0;
  }
}
