package dev.sluice.runners;

import static dev.sluice.testing.conformance.LauncherConformance.sluice;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.testing.conformance.LauncherConformance.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the Spark runner cannot do in streaming is refused before launch, as a user meets it: a word
 * count over a live Kafka topic with {@code --allowedLateness} on {@code --runner=spark} is one
 * line naming the feature, the runner and the way out, exit 2, and no Spark job starts. The broker
 * is {@code ./sluice kafka start} in its own process (this module's test classpath holds no Kafka
 * broker: Scala 2.12 vs 2.13).
 */
class SparkStreamingRefusalIT {
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void allowedLatenessInAStreamIsRefusedBeforeLaunch() throws Exception {
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "launcher").toAbsolutePath()), "refusal-");
    Path kafkaDir = dir.resolve("kafka");
    try {
      Result start = sluice("kafka", "start", "--dir=" + kafkaDir, "--port=0", "--for=4m");
      assertThat(start.output(), start.exitCode(), equalTo(0));
      String bootstrap = Files.readString(kafkaDir.resolve("bootstrap")).trim();
      Path input = dir.resolve("lines.jsonl");
      WordLinesGenerator.create().seed(3).events(50).writeTo(input);
      Result produce = sluice("kafka", "produce", "words", "--dir=" + kafkaDir, "--file=" + input);
      assertThat(produce.output(), produce.exitCode(), equalTo(0));

      String[] run = {
        "run",
        "word-count",
        "--runner=spark",
        "--input=kafka://" + bootstrap + "/words",
        "--output=file:" + dir.resolve("out/counts"),
        "--allowedLateness=5m"
      };
      Result refused = sluice(run);
      assertThat(refused.output(), refused.exitCode(), equalTo(2));
      String line = refused.output().strip();
      assertThat(line, line.lines().count(), equalTo(1L));
      assertThat(line, containsString("allowed lateness"));
      assertThat(line, containsString("SparkRunner in streaming"));
      assertThat(line, containsString("--runner=direct"));
      assertThat(line, not(containsString("Exception")));
      assertThat("nothing was written", Files.exists(dir.resolve("out")), equalTo(false));
    } finally {
      sluice("kafka", "stop", "--dir=" + kafkaDir);
    }
  }
}
