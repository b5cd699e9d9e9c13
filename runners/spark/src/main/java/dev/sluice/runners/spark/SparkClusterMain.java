package dev.sluice.runners.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./sluice cluster spark start|stop|status}: a {@link SparkCluster} whose master and worker
 * outlive this JVM. Flags: {@code --dir=DIR} (required; the launcher passes target/spark-cluster),
 * {@code --port=7077}, {@code --webui-port=8080}, {@code --worker-webui-port=0} (0: any free port),
 * {@code --cores=2}, {@code --memory=3g} and {@code --jars-file=FILE} (Spark's jars, one classpath
 * line, as runners/spark writes it in target/spark-home-classpath.txt). Exit 0 on success, 1 when
 * the cluster cannot start or is not running, 2 on a bad flag.
 */
public final class SparkClusterMain {
  private static final Set<String> START_FLAGS =
      Set.of(
          "dir",
          "port",
          "webui-port",
          "worker-webui-port",
          "cores",
          "memory",
          "jars-file",
          "timeout");

  private SparkClusterMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0) {
      System.err.println("cluster spark needs a command: start, stop, status");
      return 2;
    }
    String command = args[0];
    Map<String, String> flags;
    try {
      flags =
          parse(
              Arrays.copyOfRange(args, 1, args.length),
              command.equals("start") ? START_FLAGS : Set.of("dir"));
    } catch (IllegalArgumentException e) {
      System.err.println("cluster spark " + command + ": " + e.getMessage());
      return 2;
    }
    String dirFlag = flags.get("dir");
    if (dirFlag == null) {
      System.err.println("cluster spark " + command + ": --dir=DIR is required");
      return 2;
    }
    Path dir = Path.of(dirFlag).toAbsolutePath().normalize();
    try {
      switch (command) {
        case "start":
          return start(dir, flags);
        case "stop":
          return stop(dir);
        case "status":
          return status(dir);
        default:
          System.err.println(
              "cluster spark: unknown command '" + command + "'; commands: start, stop, status");
          return 2;
      }
    } catch (IllegalArgumentException e) {
      System.err.println("cluster spark " + command + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      System.err.println("cluster spark " + command + ": " + e);
      return 1;
    }
  }

  private static int start(Path dir, Map<String, String> flags) throws IOException {
    String jarsFile = flags.get("jars-file");
    if (jarsFile == null) {
      throw new IllegalArgumentException(
          "--jars-file=FILE (Spark's jars, one classpath line) is required");
    }
    List<Path> jars =
        Arrays.stream(Files.readString(Path.of(jarsFile)).trim().split(":"))
            .filter(s -> !s.isBlank())
            .map(Path::of)
            .toList();
    SparkCluster.Settings settings =
        new SparkCluster.Settings(
            dir,
            port(flags, "port", 7077),
            port(flags, "webui-port", 8080),
            port(flags, "worker-webui-port", 0),
            intFlag(flags, "cores", 2, 1, 64),
            flags.getOrDefault("memory", "3g"),
            jars,
            Duration.ofSeconds(intFlag(flags, "timeout", 60, 1, 600)));
    if (settings.port() == 0 || settings.webUiPort() == 0) {
      throw new IllegalArgumentException("--port and --webui-port need a port from 1 to 65535");
    }
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
    Optional<SparkCluster> running = SparkCluster.running(dir);
    boolean worker =
        SparkCluster.livePid(dir, SparkCluster.WORKER_PID, SparkCluster.WORKER_MAIN).isPresent();
    if (running.isEmpty() && !worker) {
      Files.deleteIfExists(dir.resolve(SparkCluster.MASTER_PID));
      Files.deleteIfExists(dir.resolve(SparkCluster.WORKER_PID));
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

  private static Map<String, String> parse(String[] args, Set<String> allowed) {
    Map<String, String> flags = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0 || eq == arg.length() - 1) {
        throw new IllegalArgumentException("expected --flag=value, got '" + arg + "'");
      }
      String name = arg.substring(2, eq);
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(
            "unknown flag --"
                + name
                + "; allowed: --"
                + String.join(", --", allowed.stream().sorted().toList()));
      }
      flags.put(name, arg.substring(eq + 1));
    }
    return flags;
  }

  private static int port(Map<String, String> flags, String name, int dflt) {
    return intFlag(flags, name, dflt, 0, 65535);
  }

  private static int intFlag(Map<String, String> flags, String name, int dflt, int min, int max) {
    String value = flags.get(name);
    if (value == null) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          "--" + name + " must be in [" + min + ", " + max + "], got " + n);
    }
    return n;
  }
}
