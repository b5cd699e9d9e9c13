package dev.sluice.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.sluice.launcher.service.LocalService;
import dev.sluice.runners.flink.FlinkCluster;
import dev.sluice.runners.flink.FlinkCluster.JobInfo;
import dev.sluice.testing.conformance.IdlePartitionsConformance;
import dev.sluice.testing.conformance.LedgerCommandsConformance;
import dev.sluice.testing.conformance.LedgerProjectionConformance;
import dev.sluice.testing.conformance.LedgerProjectionStreamConformance;
import dev.sluice.testing.conformance.StreamStopConformance;
import dev.sluice.testing.conformance.StreamingConformance;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Live streams on a Flink session cluster of two TaskManagers of one slot each (three JVMs), at
 * parallelism 2: every shuffle, and the readers of a topic's partitions, are spread over two
 * processes. The cluster is started once for the suites nested here and stopped by pid afterwards,
 * leaving no process:
 *
 * <ul>
 *   <li>{@link Streams}: {@link StreamingConformance}, every job as a live stream over Kafka (to
 *       Kafka only, for now: see {@link Streams#writesFiles});
 *   <li>{@link IdlePartitions}: {@link IdlePartitionsConformance}, windows close when one
 *       TaskManager reads only empty partitions, or none;
 *   <li>{@link StreamStop}: {@link StreamStopConformance}, SIGTERM/SIGINT to {@code ./sluice run}
 *       ends the launcher and the job on the cluster (CANCELED in Flink's REST API);
 *   <li>the ledger's jobs: {@link LedgerCommands} and {@link LedgerProjection} in batch, {@link
 *       LedgerProjectionStream} live.
 * </ul>
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES) // each case bounds its own start, results and stop
class FlinkTwoTaskManagersIT {
  private static final Duration CANCELED_WITHIN = Duration.ofSeconds(60);
  private static FlinkCluster cluster;
  private static Path bundle;
  private static final List<Long> started = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws IOException, InterruptedException {
    bundle = FlinkClusterIT.bundledJar();
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "flink-cluster-it").toAbsolutePath()),
            "two-taskmanagers-");
    String classpath = Files.readString(Path.of("target", "classpath.txt")).trim();
    cluster = FlinkCluster.start(dir, LocalService.freePort(), classpath, false, 2, 1);
    started.addAll(cluster.pids());
    assertThat("JobManager and two TaskManagers", started, hasSize(3));
    assertThat(cluster.overview().taskManagers(), equalTo(2));
  }

  @AfterAll
  static void stopClusterAndLeaveNoProcess() throws InterruptedException {
    if (cluster == null) {
      return;
    }
    cluster.stop();
    List<Long> alive =
        started.stream()
            .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            .toList();
    assertThat("processes of the cluster still alive after stop", alive, empty());
    assertThat(
        "JVMs still running with " + cluster.dir(), FlinkClusterIT.jvmsOf(cluster.dir()), empty());
  }

  /** Submission to the cluster, the bundled jar staged, at parallelism 2 (one slot per process). */
  private static List<String> onTheCluster() {
    return List.of(
        "--runner=flink", "--flinkMaster=" + cluster.master(), "--filesToStage=" + bundle);
  }

  @Nested
  @ExtendWith(KafkaBrokerExtension.class)
  class Streams extends StreamingConformance {
    @Override
    protected List<String> runnerFlags() {
      return withParallelism2();
    }

    /**
     * Not yet, as on {@code [local]} ({@link FlinkStreamingConformanceTest#writesFiles}): in one of
     * two runs of this class, iot-sensors' {@code .alerts} output kept its finished temporary file
     * (all 11 expected lines in {@code .temp-beam/}) that WriteFiles never renamed into place,
     * while its other outputs of the same run were complete. Open (docs/runners.md).
     */
    @Override
    protected boolean writesFiles() {
      return false;
    }

    @Override
    protected String filesRefusal() {
      return "file output of a live stream (step ";
    }

    @Override
    protected String triggerRefusal(String job, String trigger) {
      return FlinkStreamingConformanceTest.latenessRefusal(trigger);
    }
  }

  /**
   * All records in partition 0: the other TaskManager reads only empty partitions (4 partitions),
   * or nothing at all (1 partition), and its watermark must still follow the broker's progress.
   */
  @Nested
  class IdlePartitions extends IdlePartitionsConformance {
    @Override
    protected List<String> runnerFlags() {
      return onTheCluster();
    }
  }

  @Nested
  @ExtendWith(KafkaBrokerExtension.class)
  class StreamStop extends StreamStopConformance {
    private Set<String> before;

    @BeforeEach
    void jobsSoFar() throws IOException, InterruptedException {
      before = cluster.jobs().stream().map(JobInfo::id).collect(Collectors.toSet());
    }

    @Override
    protected List<String> runnerFlags() {
      return List.of("--runner=flink", "--flinkMaster=" + cluster.master(), "--parallelism=2");
    }

    /** Refused on Flink (a live stream to files, Capabilities): to Kafka. */
    @Override
    protected boolean writesFiles() {
      return false;
    }

    /** The one job this test submitted is CANCELED on the cluster, not left running there. */
    @Override
    protected void jobEnded() throws Exception {
      List<JobInfo> submitted =
          cluster.jobs().stream().filter(j -> !before.contains(j.id())).toList();
      assertThat("jobs this test submitted: " + submitted, submitted, hasSize(1));
      String id = submitted.get(0).id();
      long deadline = System.nanoTime() + CANCELED_WITHIN.toNanos();
      String state = cluster.jobState(id);
      while (!state.equals("CANCELED") && System.nanoTime() - deadline < 0) {
        Thread.sleep(250);
        state = cluster.jobState(id);
      }
      assertThat(
          "job " + id + " on the cluster, " + CANCELED_WITHIN + " after",
          state,
          equalTo("CANCELED"));
    }
  }

  /** The ledger's command side in batch on the cluster: the model's event log and rejects. */
  @Nested
  class LedgerCommands extends LedgerCommandsConformance {
    @Override
    protected List<String> runnerFlags() {
      return withParallelism2();
    }
  }

  /** The ledger's projection in batch on the cluster: the fold's read model in PostgreSQL. */
  @Nested
  class LedgerProjection extends LedgerProjectionConformance {
    @Override
    protected List<String> runnerFlags() {
      return withParallelism2();
    }
  }

  /** The ledger's projection as a live stream on the cluster: the fold's balances, closed hours. */
  @Nested
  class LedgerProjectionStream extends LedgerProjectionStreamConformance {
    @Override
    protected List<String> runnerFlags() {
      return withParallelism2();
    }
  }

  private static List<String> withParallelism2() {
    List<String> flags = new ArrayList<>(onTheCluster());
    flags.add("--parallelism=2");
    return flags;
  }
}
