package dev.sluice.runners;

import static dev.sluice.testing.conformance.LauncherConformance.sluice;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.launcher.service.LocalService;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.runners.spark.SparkCluster;
import dev.sluice.testing.OutputFiles;
import dev.sluice.testing.conformance.LauncherConformance.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./sluice cluster spark start}, {@code status}, {@code run word-count
 * --sparkMaster=spark://} and {@code template run word-count-backfill --mode=batch} (the launcher
 * stages the bundled jar, and only it, for both) and {@code stop}, as a user types them, on free
 * ports.
 */
class SparkClusterLauncherIT {
  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void startRunStatusStopLeavesNoProcess() throws Exception {
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "launcher").toAbsolutePath()), "cluster-");
    Path clusterDir = dir.resolve("cluster");
    int port = LocalService.freePort();
    int webUi = LocalService.freePort();
    List<Long> pids = new ArrayList<>();
    try {
      Result start =
          sluice(
              "cluster",
              "spark",
              "start",
              "--dir=" + clusterDir,
              "--port=" + port,
              "--webui-port=" + webUi);
      assertThat(start.output(), start.exitCode(), equalTo(0));
      assertThat(
          start.output(), containsString("spark://127.0.0.1:" + port + ": 1 worker(s), 2 cores"));
      for (String file : List.of("master.pid", "worker-1.pid")) {
        pids.add(Long.parseLong(Files.readString(clusterDir.resolve(file)).trim()));
      }

      Result status = sluice("cluster", "spark", "status", "--dir=" + clusterDir);
      assertThat(status.output(), status.exitCode(), equalTo(0));
      assertThat(status.output(), containsString("1 ALIVE worker(s) of 1, 2 cores"));

      Path input = dir.resolve("in/lines.jsonl");
      List<String> lines =
          WordLinesGenerator.create()
              .seed(7)
              .events(1_500)
              .malformedShare(0.02)
              .writeTo(input)
              .lines();
      Result run =
          sluice(
              "run",
              "word-count",
              "--runner=spark",
              "--sparkMaster=spark://127.0.0.1:" + port,
              "--input=file:" + input,
              "--output=file:" + dir.resolve("out/counts"),
              "--windowSize=15m",
              "--windowPeriod=5m");
      assertThat(run.output(), run.exitCode(), equalTo(0));
      List<String> expected =
          new ArrayList<>(
              SlidingWordCountModel.compute(
                  lines,
                  org.joda.time.Duration.standardMinutes(15),
                  org.joda.time.Duration.standardMinutes(5)));
      expected.sort(null);
      assertThat(OutputFiles.sortedLines(dir.resolve("out/counts")), equalTo(expected));
      // The same job from its template, in batch mode: the same submission path (the bundled
      // jar staged, the master checked), the same answer.
      Result template =
          sluice(
              "template",
              "run",
              "word-count-backfill",
              "--mode=batch",
              "--runner=spark",
              "--sparkMaster=spark://127.0.0.1:" + port,
              "--param",
              "source=file:" + input,
              "--param",
              "output=file:" + dir.resolve("out/template-counts"),
              "--param",
              "windowSize=15m",
              "--param",
              "windowPeriod=5m");
      assertThat(template.output(), template.exitCode(), equalTo(0));
      assertThat(OutputFiles.sortedLines(dir.resolve("out/template-counts")), equalTo(expected));
      // Both ran on the cluster, each with exactly the bundled jar the launcher staged.
      assertThat(
          sluice("cluster", "spark", "status", "--dir=" + clusterDir).output(),
          containsString("2 completed application(s)"));
      List<Path> apps;
      try (var listed = Files.list(clusterDir.resolve("work/worker-1"))) {
        apps = listed.sorted().toList();
      }
      assertThat(apps.toString(), apps.size(), equalTo(2));
      for (Path app : apps) {
        try (var fetched = Files.list(app.resolve("0"))) {
          assertThat(
              app.toString(),
              fetched.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList(),
              equalTo(List.of(bundleName())));
        }
      }

      Result stop = sluice("cluster", "spark", "stop", "--dir=" + clusterDir);
      assertThat(stop.output(), stop.exitCode(), equalTo(0));
      assertThat(stop.output(), containsString("stopped worker 1"));
      assertThat(stop.output(), containsString("stopped the master"));
      List<Long> alive =
          pids.stream()
              .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
              .toList();
      assertThat("pids still alive after stop", alive, empty());
      Process ps = new ProcessBuilder("ps", "-eo", "pid,args").redirectErrorStream(true).start();
      String table = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(
          "ps lines naming the cluster's folder",
          table.lines().filter(l -> l.contains(clusterDir.toString())).toList(),
          empty());
      assertThat(
          sluice("cluster", "spark", "status", "--dir=" + clusterDir).exitCode(), equalTo(1));
    } finally {
      SparkCluster.stop(clusterDir, Duration.ofSeconds(10)); // nothing left if a step failed
    }
  }

  private static String bundleName() throws Exception {
    try (var files = Files.list(Path.of("target"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("sluice-runners-spark-.*-bundled\\.jar"))
          .findFirst()
          .orElseThrow();
    }
  }
}
