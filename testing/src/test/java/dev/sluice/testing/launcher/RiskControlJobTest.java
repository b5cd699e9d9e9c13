package dev.sluice.testing.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.launcher.Sluice;
import dev.sluice.pipelines.risk.RiskExamples;
import dev.sluice.testing.JobRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job through {@code ./sluice run risk-control} on the DirectRunner, over files: the
 * {@code --accounts} source, and bad options refused before anything runs.
 */
class RiskControlJobTest {
  @TempDir Path dir;

  /**
   * Transactions from --input, profiles from --accounts: the alerts use only the profiles of
   * --accounts, and the record of the wrong type in each source is a dead letter of kind
   * unexpected-type at its line.
   */
  @Test
  void profilesFromASeparateSourceAndEachSourcesOtherTypeAsDeadLetters() throws IOException {
    Path input = write("in/txns.jsonl", RiskExamples.SEPARATE_INPUT);
    Path accounts = write("accounts/profiles.jsonl", RiskExamples.SEPARATE_ACCOUNTS);
    JobRun.Result run =
        JobRun.of("risk-control")
            .args(
                "--input=file:" + input,
                "--accounts=file:" + accounts,
                "--output=file:" + dir.resolve("out"),
                "--windowSize=10m",
                "--windowPeriod=5m")
            .ok();
    assertThat(run.lines(), containsInAnyOrder(RiskExamples.SEPARATE_ALERTS.toArray()));

    TreeMap<String, String> deadByFile = new TreeMap<>();
    for (JsonNode letter : run.deadLetters()) {
      deadByFile.put(
          Path.of(letter.get("source").asText().replaceFirst("^file:", "")).getFileName()
              + ":"
              + letter.get("position").asText(),
          letter.get("kind").asText());
    }
    assertThat(
        deadByFile.toString(),
        equalTo("{profiles.jsonl:2=unexpected-type, txns.jsonl:3=unexpected-type}"));
    assertThat(run.stderr(), containsString("2 dead letters"));
    assertThat(run.counts().deadLettersByKind(), equalTo(java.util.Map.of("unexpected-type", 2L)));
  }

  @Test
  void aBadOptionIsRefusedBeforeTheJobRunsNamingTheFlag() throws IOException {
    Path input = write("in/txns.jsonl", RiskExamples.SEPARATE_INPUT);
    JobRun.Result run =
        JobRun.of("risk-control")
            .args("--input=file:" + input, "--output=file:" + dir.resolve("out"), "--maxPlaces=0")
            .run();
    assertThat(run.exitCode(), equalTo(Sluice.USAGE));
    assertThat(run.error(), containsString("--maxPlaces: must be 1 or more"));
    assertThat(Files.exists(dir.resolve("out-00000-of-00001.jsonl")), equalTo(false));
  }

  private Path write(String name, List<String> lines) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }
}
