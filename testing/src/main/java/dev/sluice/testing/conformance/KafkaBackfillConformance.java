package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.pipelines.wordcount.TextEvent;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code word-count} on one runner over a bounded range of a real Kafka topic (a batch backfill:
 * {@code ?stop=now}), through the command line users run, compared line for line with {@link
 * SlidingWordCountModel}; the dead letters carry {@code partition@offset}. A runner module extends
 * this class and says how to select its runner.
 */
@ExtendWith(KafkaBrokerExtension.class)
public abstract class KafkaBackfillConformance {
  /** The flags that select this runner, e.g. {@code --runner=flink}. */
  protected abstract List<String> runnerFlags();

  @Test
  void aKafkaBackfillEqualsTheReferenceModelLineForLine(KafkaBroker broker) throws IOException {
    WordLinesGenerator.Generated input =
        WordLinesGenerator.create().seed(5).events(3_000).malformedShare(0.02).generate();
    broker.createTopic("backfill", 3);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < input.lines().size(); i++) {
      String line = input.lines().get(i);
      Instant time = TextEvent.timestampOrNull(line);
      records.add(
          new ProducerRecord<>(
              "backfill", i % 3, time == null ? null : time.getMillis(), null, line));
    }
    broker.send(records);
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "conformance")), getClass().getSimpleName());

    JobRun.Result run =
        JobRun.of("word-count")
            .args(
                "--input=" + broker.uri("backfill") + "?stop=now",
                "--output=file:" + dir.resolve("counts"),
                "--windowSize=10m",
                "--windowPeriod=5m")
            .args(runnerFlags())
            .ok();
    List<String> expected =
        SlidingWordCountModel.compute(
                input.lines(), Duration.standardMinutes(10), Duration.standardMinutes(5))
            .stream()
            .sorted()
            .toList();
    assertThat(expected.size(), greaterThan(500));
    assertThat(run.lines(), equalTo(expected));
    // Line i went to partition i % 3 of a new topic, in order: its offset there is i / 3.
    List<BadInputCheck.Letter> malformed =
        input.malformedLineNumbers().stream()
            .map(
                n ->
                    new BadInputCheck.Letter(
                        (n - 1) % 3 + "@" + (n - 1) / 3, input.lines().get(n - 1)))
            .toList();
    BadInputCheck.deadLettersAre("word-count", run.deadLetterLines(), malformed);
  }
}
