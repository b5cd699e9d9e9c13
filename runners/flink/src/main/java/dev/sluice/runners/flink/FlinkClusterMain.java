package dev.sluice.runners.flink;

import dev.sluice.runners.flink.FlinkCluster.ClusterException;
import dev.sluice.runners.flink.FlinkCluster.JobInfo;
import dev.sluice.runners.flink.FlinkCluster.Overview;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code ./sluice cluster flink start|stop|status [--dir=DIR] [--port=8081]}: a {@link
 * FlinkCluster} on this JVM's classpath. Exit 0 when done, 1 when the cluster failed (or, for
 * status, is not running), 2 for a bad argument.
 */
public final class FlinkClusterMain {
  private FlinkClusterMain() {}

  public static void main(String[] args) {
    try {
      System.exit(run(args));
    } catch (UsageException e) {
      System.err.println("sluice cluster flink: " + e.getMessage());
      System.exit(2);
    } catch (ClusterException e) {
      System.err.println("sluice cluster flink: " + e.getMessage());
      System.exit(1);
    } catch (IOException e) {
      System.err.println("sluice cluster flink: " + e);
      System.exit(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(1);
    }
  }

  static int run(String[] args) throws IOException, InterruptedException {
    if (args.length == 0) {
      throw new UsageException("needs a command: start, stop, status");
    }
    String command = args[0];
    Path dir = Path.of("target", "flink-cluster");
    int port = 8081;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--dir=") && arg.length() > "--dir=".length()) {
        dir = Path.of(arg.substring("--dir=".length()));
      } else if (arg.startsWith("--port=") && command.equals("start")) {
        try {
          port = Integer.parseInt(arg.substring("--port=".length()));
        } catch (NumberFormatException e) {
          port = -1;
        }
        if (port < 1 || port > 65535) {
          throw new UsageException("--port: '" + arg.substring(7) + "' is not a port (1-65535)");
        }
      } else {
        throw new UsageException(
            "unknown argument '"
                + arg
                + "' for "
                + command
                + "; allowed: --dir=DIR"
                + (command.equals("start") ? ", --port=N" : ""));
      }
    }
    dir = dir.toAbsolutePath().normalize();
    String hint =
        dir.equals(Path.of("target", "flink-cluster").toAbsolutePath().normalize())
            ? ""
            : " --dir=" + dir;
    switch (command) {
      case "start":
        return start(dir, port, hint);
      case "stop":
        return stop(dir);
      case "status":
        return status(dir, hint);
      default:
        throw new UsageException(
            "unknown command '" + command + "'; commands: start, stop, status");
    }
  }

  private static int start(Path dir, int port, String hint)
      throws IOException, InterruptedException {
    Optional<FlinkCluster> running = FlinkCluster.running(dir);
    if (running.isPresent()) {
      System.out.printf(
          "A Flink cluster from %s is already running at %s; stop it with ./sluice cluster flink"
              + " stop%s%n",
          dir, running.get().url(), hint);
      return 0;
    }
    long start = System.nanoTime();
    FlinkCluster cluster =
        FlinkCluster.start(dir, port, System.getProperty("java.class.path"), true);
    Overview overview = cluster.overview();
    System.out.printf(
        "Flink cluster ready at %s in %.1f s: %d TaskManager(s), %d slots (pids %s; logs and"
            + " config in %s)%n",
        cluster.url(),
        (System.nanoTime() - start) / 1e9,
        overview.taskManagers(),
        overview.slotsTotal(),
        cluster.pids(),
        dir);
    System.out.printf(
        "Submit with: ./sluice run <job> --runner=flink --flinkMaster=%s ...%n", cluster.master());
    System.out.printf("Stop with:   ./sluice cluster flink stop%s%n", hint);
    return 0;
  }

  private static int stop(Path dir) throws InterruptedException, IOException {
    // A TaskManager may outlive its JobManager: stop whatever the pid files still name.
    FlinkCluster cluster = FlinkCluster.at(dir);
    if (cluster.pids().isEmpty()) {
      cluster.stop(); // removes stale pid files
      System.out.printf("No Flink cluster running from %s.%n", dir);
      return 0;
    }
    for (String line : cluster.stop()) {
      System.out.println(line);
    }
    return 0;
  }

  private static int status(Path dir, String hint) throws IOException, InterruptedException {
    Optional<FlinkCluster> running = FlinkCluster.running(dir);
    if (running.isEmpty()) {
      System.out.printf(
          "No Flink cluster running from %s; start one with ./sluice cluster flink start%s%n",
          dir, hint);
      return 1;
    }
    FlinkCluster cluster = running.get();
    Overview overview;
    try {
      overview = cluster.overview();
    } catch (IOException e) {
      System.out.printf(
          "A Flink JobManager from %s is running (pids %s) but its REST API at %s does not answer"
              + " (%s); logs in %s%n",
          dir, cluster.pids(), cluster.url(), e.getMessage(), dir);
      return 1;
    }
    System.out.printf(
        "Flink cluster at %s (pids %s): %d TaskManager(s), %d of %d slots available, %d job(s)"
            + " running%n",
        cluster.url(),
        cluster.pids(),
        overview.taskManagers(),
        overview.slotsAvailable(),
        overview.slotsTotal(),
        overview.jobsRunning());
    for (JobInfo job : cluster.jobs()) {
      System.out.printf(
          "  %s  %-9s %6.1f s  %s%n",
          job.id(), job.state(), job.durationMillis() / 1e3, job.name());
    }
    return 0;
  }

  /** A bad command line. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
