package dev.sluice.testing.ledger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.sluice.launcher.Sluice;
import dev.sluice.testing.JobRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the projection refuses before launch, in one line (runs: LedgerProjectionConformance). */
class LedgerProjectionTest {
  @TempDir Path dir;

  private String refused(String... args) {
    JobRun.Result result = JobRun.command(args).run();
    assertThat(result.exitCode(), equalTo(Sluice.USAGE));
    String line = result.stderr().strip();
    assertThat(line, line.lines().count(), equalTo(1L));
    return line;
  }

  @Test
  void aPasswordInTheDatabaseLocationIsRefusedWithoutRepeatingIt() {
    String line =
        refused(
            "run",
            "ledger-projection",
            "--input=file:" + dir.resolve("none.jsonl"),
            "--output=jdbc:postgresql://127.0.0.1:1/sluice?user=sluice&password=secret",
            "--deadLetters=file:" + dir.resolve("dead"));
    assertThat(line, containsString("--output: a password on the command line"));
    assertThat(line, not(containsString("secret")));
  }

  @Test
  void aDatabaseThatDoesNotAnswerIsNamed() throws java.io.IOException {
    // The input exists: it is checked first, before the database is tried.
    java.nio.file.Files.writeString(dir.resolve("events.jsonl"), "");
    String line =
        refused(
            "run",
            "ledger-projection",
            "--input=file:" + dir.resolve("events.jsonl"),
            "--output=jdbc:postgresql://127.0.0.1:1/sluice?user=sluice",
            "--deadLetters=file:" + dir.resolve("dead"));
    assertThat(line, containsString("--output: cannot use the database at"));
    assertThat(line, containsString("127.0.0.1:1"));
  }

  @Test
  void aDatabaseNeedsExplicitDeadLetters() {
    assertThat(
        refused(
            "run",
            "ledger-projection",
            "--input=file:" + dir.resolve("none.jsonl"),
            "--output=jdbc:postgresql://127.0.0.1:1/sluice?user=sluice"),
        containsString("--deadLetters: required when --output is a database"));
  }
}
