package dev.sluice.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.sluice.launcher.service.LocalService;
import dev.sluice.runners.flink.FlinkCluster;
import dev.sluice.testing.conformance.JobCase;
import dev.sluice.testing.conformance.JobCases;
import dev.sluice.testing.conformance.JobsConformance;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Every job of {@link JobCases} submitted to a real Flink session cluster (a JobManager and a
 * TaskManager in their own JVMs, on free ports of 127.0.0.1) with the bundled jar staged, each
 * output compared with the job's reference model; afterwards no process of the cluster is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FlinkClusterIT extends JobsConformance {
  private static FlinkCluster cluster;
  private static Path bundle;
  private static final List<Long> started = new ArrayList<>();
  private static final Pattern TASKS =
      Pattern.compile("running on FlinkRunner, [0-9]+ s: .*" + "[0-9]+ of [0-9]+ tasks finished$");

  @BeforeAll
  static void startCluster() throws IOException, InterruptedException {
    bundle = bundledJar();
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "flink-cluster-it").toAbsolutePath()),
            "cluster-");
    String classpath = Files.readString(Path.of("target", "classpath.txt")).trim();
    cluster = FlinkCluster.start(dir, LocalService.freePort(), classpath, false);
    started.addAll(cluster.pids());
    assertThat("JobManager and TaskManager pids", started, hasSize(2));
  }

  @Override
  protected List<String> runnerFlags() {
    return List.of(
        "--runner=flink",
        "--flinkMaster=" + cluster.master(),
        "--parallelism=2",
        "--filesToStage=" + bundle,
        "--progressEvery=2s");
  }

  /** The launcher found the job on the cluster by name and said how far its tasks are. */
  @Override
  protected void checkProgress(JobCase c, List<String> progressLines) {
    assertThat(
        c.job() + " progress: " + progressLines,
        progressLines.stream().anyMatch(l -> TASKS.matcher(l).find()),
        equalTo(true));
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void everyJobRanOnTheClusterAndFinished() throws IOException, InterruptedException {
    List<String> states =
        cluster.jobs().stream().map(FlinkCluster.JobInfo::state).distinct().toList();
    assertThat(cluster.jobs().toString(), states, equalTo(List.of("FINISHED")));
    assertThat(cluster.jobs(), hasSize(JobCases.all().size()));
    assertThat(cluster.overview().slotsAvailable(), equalTo(cluster.overview().slotsTotal()));
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
    assertThat("JVMs still running with " + cluster.dir(), jvmsOf(cluster.dir()), empty());
  }

  /** Live processes whose command line names the cluster's folder (ps, by /proc). */
  static List<Long> jvmsOf(Path dir) {
    String marker = dir.resolve("conf").toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().matches("[0-9]+"))
          .filter(
              p -> {
                try {
                  return Files.readString(p.resolve("cmdline")).replace('\0', ' ').contains(marker);
                } catch (IOException | RuntimeException e) {
                  return false; // gone meanwhile, or not ours to read
                }
              })
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Path bundledJar() throws IOException {
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(Path.of("target"), "sluice-runners-flink-*-bundled.jar")) {
      for (Path jar : jars) {
        return jar.toAbsolutePath();
      }
    }
    throw new IllegalStateException(
        "no target/sluice-runners-flink-*-bundled.jar: run the package phase without"
            + " -Dsluice.bundle.skip=true");
  }
}
