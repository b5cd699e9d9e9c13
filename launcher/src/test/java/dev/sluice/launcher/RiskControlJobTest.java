package dev.sluice.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipelines.risk.RiskExamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job through {@code ./sluice run risk-control} on the DirectRunner, over files: the
 * {@code --accounts} source, and bad options refused before anything runs.
 */
class RiskControlJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /**
   * Transactions from --input, profiles from --accounts: the alerts use only the profiles of
   * --accounts, and the record of the wrong type in each source is a dead letter of kind
   * unexpected-type at its line.
   */
  @Test
  void profilesFromASeparateSourceAndEachSourcesOtherTypeAsDeadLetters() throws IOException {
    Path input = write("in/txns.jsonl", RiskExamples.SEPARATE_INPUT);
    Path accounts = write("accounts/profiles.jsonl", RiskExamples.SEPARATE_ACCOUNTS);
    int code =
        sluice(
            "run",
            "risk-control",
            "--input=file:" + input,
            "--accounts=file:" + accounts,
            "--output=file:" + dir.resolve("out"),
            "--windowSize=10m",
            "--windowPeriod=5m");
    assertThat(err.toString(StandardCharsets.UTF_8), code, equalTo(Sluice.OK));
    assertThat(lines("out-"), containsInAnyOrder(RiskExamples.SEPARATE_ALERTS.toArray()));

    TreeMap<String, String> deadByFile = new TreeMap<>();
    for (String line : lines("out.dead-letters-")) {
      JsonNode letter = JSON.readTree(line);
      deadByFile.put(
          Path.of(letter.get("source").asText().replaceFirst("^file:", "")).getFileName()
              + ":"
              + letter.get("position").asText(),
          letter.get("kind").asText());
    }
    assertThat(
        deadByFile.toString(),
        equalTo("{profiles.jsonl:2=unexpected-type, txns.jsonl:3=unexpected-type}"));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("2 dead letters"));
  }

  @Test
  void aBadOptionIsRefusedBeforeTheJobRunsNamingTheFlag() throws IOException {
    Path input = write("in/txns.jsonl", RiskExamples.SEPARATE_INPUT);
    int code =
        sluice(
            "run",
            "risk-control",
            "--input=file:" + input,
            "--output=file:" + dir.resolve("out"),
            "--maxPlaces=0");
    assertThat(code, equalTo(Sluice.USAGE));
    assertThat(
        err.toString(StandardCharsets.UTF_8), containsString("--maxPlaces: must be 1 or more"));
    assertThat(Files.exists(dir.resolve("out-00000-of-00001.jsonl")), equalTo(false));
  }

  private int sluice(String... args) {
    try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      return Sluice.run(args, new PrintStream(new ByteArrayOutputStream()), e);
    }
  }

  private Path write(String name, List<String> lines) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  /** Every line of the files in {@code dir} whose name starts with {@code prefix}. */
  private List<String> lines(String prefix) throws IOException {
    List<String> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
        all.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    return all;
  }
}
