package dev.sluice.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.sluice.launcher.Sluice;
import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.testing.JobRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code delivery=exactly-once} is not verified on the SparkRunner: it is refused before launch in
 * one line naming the option, the runner and the ways out, never run with a guarantee it may not
 * keep.
 */
class SparkExactlyOnceRefusalTest {
  @Test
  void exactlyOnceIsRefusedBeforeLaunch(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("lines.jsonl");
    WordLinesGenerator.create().seed(3).events(20).writeTo(input);
    // No broker listens on port 9: the refusal comes before any Kafka connection is tried.
    JobRun.Result result =
        JobRun.of("word-count")
            .args(
                "--runner=spark",
                "--sparkMaster=local[1]",
                "--input=file:" + input,
                "--output=kafka://127.0.0.1:9/counts?delivery=exactly-once")
            .run();
    assertThat(result.stderr(), result.exitCode(), equalTo(Sluice.USAGE));
    String line = result.stderr().strip();
    assertThat(line, line.lines().count(), equalTo(1L));
    assertThat(
        line,
        containsString(
            "--output: delivery=exactly-once is verified on the"
                + " DirectRunner and the FlinkRunner only, not on SparkRunner"));
    assertThat(line, containsString("delivery=at-least-once"));
    assertThat(line, not(containsString("Exception")));
    assertThat("nothing was written", Files.list(dir).count(), equalTo(1L));
  }
}
