package dev.sluice.runners.flink;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.cli.Cli.Failure;
import dev.sluice.runners.flink.FlinkCluster.ClusterException;
import dev.sluice.runners.flink.FlinkCluster.JobInfo;
import dev.sluice.runners.flink.FlinkCluster.Overview;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sluice cluster flink start|stop|status [--dir=DIR] [--port=8081] [--taskmanagers=1]
 * [--slots=2]}: a {@link FlinkCluster} on this JVM's classpath. Flags follow {@link Cli}'s grammar.
 * Exit 0 when done, 1 when the cluster failed (or, for status, is not running), 2 for a bad
 * argument.
 */
@Command(
    name = "flink",
    description =
        "A local Flink session cluster: a JobManager and TaskManagers, each its own JVM on"
            + " 127.0.0.1.",
    subcommands = {
      FlinkClusterMain.Start.class,
      FlinkClusterMain.Stop.class,
      FlinkClusterMain.Status.class
    })
public final class FlinkClusterMain implements Callable<Integer> {
  static final String NAME = "sluice cluster flink";
  private static final Path DEFAULT_DIR = Path.of("target", "flink-cluster");

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  public static void main(String[] args) {
    System.exit(Cli.execute(new FlinkClusterMain(), NAME, args, System.out, System.err));
  }

  @Override
  public Integer call() {
    throw Cli.usage(spec, "a command is required; commands: start, stop, status");
  }

  /** {@code --dir}, shared by the three commands. */
  static final class DirOption {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Config, pids and logs of the cluster (default target/flink-cluster).")
    Path dir = DEFAULT_DIR;

    Path absolute() {
      return dir.toAbsolutePath().normalize();
    }

    /** " --dir=DIR" when DIR is not the default, for the hints printed. */
    String hint() {
      return absolute().equals(DEFAULT_DIR.toAbsolutePath().normalize())
          ? ""
          : " --dir=" + absolute();
    }
  }

  /** Runs one of the cluster's actions; its errors become one line and exit 1. */
  interface Action {
    int run() throws IOException, InterruptedException;
  }

  static int failingOnce(Action action) throws Failure, InterruptedException {
    try {
      return action.run();
    } catch (ClusterException e) {
      throw new Failure(e.getMessage(), e);
    } catch (IOException e) {
      throw new Failure(e.toString(), e);
    }
  }

  @Command(name = "start", description = "Start the cluster in the background.")
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Cli.Help help;
    @Mixin DirOption dir;

    @Option(
        names = "--port",
        paramLabel = "N",
        description = "The JobManager's REST port (default ${DEFAULT-VALUE}).")
    int port = 8081;

    @Option(
        names = "--taskmanagers",
        paramLabel = "N",
        description =
            "How many TaskManagers, each its own JVM (default ${DEFAULT-VALUE}; at most "
                + FlinkCluster.MAX_TASK_MANAGERS
                + "). With more than one, a job's shuffles cross processes.")
    int taskManagers = FlinkCluster.DEFAULT_TASK_MANAGERS;

    @Option(
        names = "--slots",
        paramLabel = "S",
        description =
            "Task slots of each TaskManager (default ${DEFAULT-VALUE}; at most "
                + FlinkCluster.MAX_SLOTS
                + ").")
    int slots = FlinkCluster.DEFAULT_SLOTS;

    @Override
    public Integer call() throws Failure, InterruptedException {
      if (port < 1 || port > 65535) {
        throw Cli.usage(spec, "--port: '" + port + "' is not a port (1-65535)");
      }
      if (taskManagers < 1 || taskManagers > FlinkCluster.MAX_TASK_MANAGERS) {
        throw Cli.usage(
            spec,
            String.format(
                "--taskmanagers: '%d' is not allowed; give 1-%d TaskManagers",
                taskManagers, FlinkCluster.MAX_TASK_MANAGERS));
      }
      if (slots < 1 || slots > FlinkCluster.MAX_SLOTS) {
        throw Cli.usage(
            spec,
            String.format(
                "--slots: '%d' is not allowed; give 1-%d slots per TaskManager",
                slots, FlinkCluster.MAX_SLOTS));
      }
      return failingOnce(() -> start(dir.absolute(), port, taskManagers, slots, dir.hint()));
    }
  }

  @Command(name = "stop", description = "Stop exactly the JobManager and TaskManagers DIR started.")
  static final class Stop implements Callable<Integer> {
    @Mixin Cli.Help help;
    @Mixin DirOption dir;

    @Override
    public Integer call() throws Failure, InterruptedException {
      return failingOnce(() -> stop(dir.absolute()));
    }
  }

  @Command(name = "status", description = "Slots total/available and the cluster's jobs.")
  static final class Status implements Callable<Integer> {
    @Mixin Cli.Help help;
    @Mixin DirOption dir;

    @Override
    public Integer call() throws Failure, InterruptedException {
      return failingOnce(() -> status(dir.absolute(), dir.hint()));
    }
  }

  private static int start(Path dir, int port, int taskManagers, int slots, String hint)
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
        FlinkCluster.start(
            dir, port, System.getProperty("java.class.path"), true, taskManagers, slots);
    Overview overview = cluster.overview();
    System.out.printf(
        "Flink cluster ready at %s in %.1f s: %d TaskManager(s), %d slots (%s; logs and config"
            + " in %s)%n",
        cluster.url(),
        (System.nanoTime() - start) / 1e9,
        overview.taskManagers(),
        overview.slotsTotal(),
        pids(cluster),
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
          "A Flink JobManager from %s is running (%s) but its REST API at %s does not answer"
              + " (%s); logs in %s%n",
          dir, pids(cluster), cluster.url(), e.getMessage(), dir);
      return 1;
    }
    System.out.printf(
        "Flink cluster at %s (%s): %d TaskManager(s), %d of %d slots available, %d job(s)"
            + " running%n",
        cluster.url(),
        pids(cluster),
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

  /** "JobManager pid 1, TaskManager 1 pid 2, ...": each process of the cluster and its pid. */
  private static String pids(FlinkCluster cluster) {
    return cluster.processes().entrySet().stream()
        .map(p -> p.getKey() + " pid " + p.getValue())
        .collect(java.util.stream.Collectors.joining(", "));
  }
}
