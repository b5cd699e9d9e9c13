package dev.sluice.testing.matrix;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.sluice.launcher.jobs.Job;
import dev.sluice.launcher.jobs.Jobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerMatrixTest {
  @TempDir Path root;

  @Test
  void theMatrixHasARowForEveryJobTheLauncherRuns() {
    assertThat(
        RunnerMatrix.JOBS,
        containsInAnyOrder(Jobs.all().stream().map(Job::name).toArray(String[]::new)));
  }

  @Test
  void aCaseNamesAJobAsAWholeWord() {
    assertThat(
        RunnerMatrix.namesJob("theJob(JobCase) ledger-commands", "ledger-commands"), is(true));
    assertThat(
        RunnerMatrix.namesJob("x(JobCase, Sink) word-count to KAFKA", "word-count"), is(true));
    assertThat(RunnerMatrix.namesJob("x(JobCase) word-counts", "word-count"), is(false));
    assertThat(RunnerMatrix.namesJob("x(JobCase) ledger-commands", "ledger"), is(false));
  }

  @Test
  void cellsComeFromTheReportsAndAFailedCaseFailsItsCell() throws IOException {
    report(
        "runners/direct/target/surefire-reports",
        "dev.sluice.runners.DirectStreamingConformanceTest",
        "<testcase name=\"a(JobCase, Sink) word-count to KAFKA\" classname=\"C\"/>"
            + "<testcase name=\"a(JobCase, Sink) risk-control to FILES\" classname=\"C\">"
            + "<failure message=\"boom\"/></testcase>"
            + "<testcase name=\"late(KafkaBroker)\" classname=\"C\"/>");
    report(
        "testing/target/surefire-reports",
        "dev.sluice.testing.ledger.LedgerCapabilitiesTest",
        "<testcase name=\"refused(KafkaBroker)\" classname=\"C\"/>");
    report(
        "runners/direct/target/surefire-reports",
        "dev.sluice.runners.SomethingElseTest",
        "<testcase name=\"x() word-count\" classname=\"C\"/>");

    Map<String, String> cells = RunnerMatrix.cells(RunnerMatrix.readReports(root));

    assertThat(
        cells.get("word-count|Direct|stream"), equalTo("proven: `DirectStreamingConformanceTest`"));
    assertThat(
        cells.get("risk-control|Direct|stream"),
        equalTo("FAILED: `DirectStreamingConformanceTest`"));
    assertThat(
        cells.get("ledger-commands|Spark standalone cluster|stream"),
        equalTo("refused: `LedgerCapabilitiesTest`"));
    assertThat(cells.containsKey("word-count|Direct|batch"), is(false));
    String table = RunnerMatrix.render(cells);
    assertThat(table, containsString("| `word-count` | **no test** |"));
    assertThat(
        table, containsString("| `word-count` | proven: `DirectStreamingConformanceTest` |"));
  }

  @Test
  void aCaseOfARefusalTestProvesARefusal() {
    assertThat(
        RunnerMatrix.provesRefusal(
            "aLiveStreamThisRunnerCannotRunIsRefusedBeforeLaunch(JobCase, String) iot-sensors"),
        is(true));
    assertThat(
        RunnerMatrix.provesRefusal("aLiveStreamWritesTheModelsResults(JobCase) word-count Refused"),
        is(false));
  }

  @Test
  void onlyTheTextBetweenTheMarkersIsReplaced() {
    String doc = "# Notes\n\n" + RunnerMatrix.BEGIN + "\nold\n" + RunnerMatrix.END + "\n\nafter\n";
    String updated = RunnerMatrix.replaceMatrix(doc, RunnerMatrix.render(Map.of()));
    assertThat(updated, not(containsString("old")));
    assertThat(updated.startsWith("# Notes\n\n" + RunnerMatrix.BEGIN), is(true));
    assertThat(updated.endsWith(RunnerMatrix.END + "\n\nafter\n"), is(true));
    assertThat(
        RunnerMatrix.replaceMatrix(updated, RunnerMatrix.render(Map.of())), equalTo(updated));
  }

  @Test
  void theCheckedInMatrixHasItsMarkers() throws IOException {
    Path doc = Path.of(System.getProperty("sluice.repo.root", "..")).resolve("docs/runners.md");
    String text = Files.readString(doc);
    assertThat(text, containsString(RunnerMatrix.BEGIN));
    assertThat(text, containsString(RunnerMatrix.END));
  }

  private void report(String dir, String className, String cases) throws IOException {
    Path folder = Files.createDirectories(root.resolve(dir));
    Files.writeString(
        folder.resolve("TEST-" + className + ".xml"),
        "<?xml version=\"1.0\"?><testsuite name=\""
            + className
            + "\">"
            + cases.replace("classname=\"C\"", "classname=\"" + className + "\"")
            + "</testsuite>");
  }
}
