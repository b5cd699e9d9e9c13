package dev.sluice.testing.kafka;

import static dev.sluice.testing.kafka.KafkaRuns.awaitValues;
import static dev.sluice.testing.kafka.KafkaRuns.records;
import static dev.sluice.testing.kafka.KafkaRuns.windowEnd;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.pipelines.wordcount.TextEvent;
import dev.sluice.testing.OutputFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * word-count against Kafka's own broker, on the DirectRunner: bounded backfills, live streams, an
 * idle partition, and what a wrong address or topic gives. Every expected result comes from the
 * plain-Java {@link SlidingWordCountModel}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WordCountOverKafkaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.joda.time.Duration SIZE = org.joda.time.Duration.standardMinutes(10);
  private static final org.joda.time.Duration PERIOD = org.joda.time.Duration.standardMinutes(5);

  @Test
  void aBoundedReadOfEveryRecordGivesExactlyTheModelsResult(KafkaBroker broker, @TempDir Path dir)
      throws IOException {
    WordLinesGenerator.Generated input =
        WordLinesGenerator.create().seed(7).events(4_000).malformedShare(0.01).generate();
    broker.createTopic("backfill", 3);
    broker.send(records("backfill", input.lines(), 3));

    KafkaRuns.runWordCount(
        "--input=" + broker.uri("backfill") + "?stop=now",
        "--output=file:" + dir.resolve("counts"),
        "--windowSize=10m",
        "--windowPeriod=5m");

    assertEquals(
        SlidingWordCountModel.compute(input.lines(), SIZE, PERIOD).stream()
            .sorted()
            .collect(Collectors.toList()),
        OutputFiles.sortedLines(dir.resolve("counts")));
    List<String> deadLetters = OutputFiles.sortedLines(dir.resolve("counts.dead-letters"));
    assertEquals(input.malformedLineNumbers().size(), deadLetters.size());
    Set<String> malformed = new HashSet<>();
    input.malformedLineNumbers().forEach(n -> malformed.add(input.lines().get(n - 1)));
    Set<String> positions = new HashSet<>();
    for (String line : deadLetters) {
      JsonNode letter = JSON.readTree(line);
      assertEquals("backfill", letter.get("source").asText());
      assertTrue(malformed.contains(letter.get("raw").asText()), line);
      assertTrue(letter.get("position").asText().matches("[0-2]@[0-9]+"), line);
      positions.add(letter.get("position").asText());
    }
    assertEquals(deadLetters.size(), positions.size(), "each dead letter at its own position");
  }

  @Test
  void resultsWrittenToKafkaAreKeyedByWordAndWindowAndStampedWithIt(
      KafkaBroker broker, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("in.jsonl");
    WordLinesGenerator.Generated input =
        WordLinesGenerator.create().seed(8).events(1_000).writeTo(file);

    KafkaRuns.runWordCount(
        "--input=file:" + file,
        "--output=" + broker.uri("counts-out") + "?partitions=2",
        "--windowSize=10m",
        "--windowPeriod=5m");

    List<ConsumerRecord<String, String>> written = broker.readAll("counts-out");
    assertThat(
        written.stream().map(ConsumerRecord::value).collect(Collectors.toList()),
        containsInAnyOrder(SlidingWordCountModel.compute(input.lines(), SIZE, PERIOD).toArray()));
    for (ConsumerRecord<String, String> record : written) {
      JsonNode result = JSON.readTree(record.value());
      // Keyed by word and window, in that order: a compacted topic keeps each window's last pane.
      JsonNode key = JSON.readTree(record.key());
      List<String> keyFields = new ArrayList<>();
      key.fieldNames().forEachRemaining(keyFields::add);
      assertEquals(List.of("word", "window_start"), keyFields);
      assertEquals(result.get("word"), key.get("word"));
      assertEquals(result.get("window_start"), key.get("window_start"));
      assertEquals(windowEnd(record.value()).toEpochMilli() - 1, record.timestamp());
    }
  }

  @Test
  void aLiveStreamGivesTheOnTimeResultOfEveryClosedWindow(KafkaBroker broker) {
    streamAndCompare(broker, "live", 2, false);
  }

  @Test
  void anIdlePartitionDoesNotHoldTheOutputBack(KafkaBroker broker) {
    streamAndCompare(broker, "one-sided", 2, true);
  }

  /**
   * Starts word-count on an empty topic, writes the input in three bursts while it runs, and
   * expects exactly the model's results of the windows that closed: those ending at or before the
   * largest event time minus the allowed out-of-orderness.
   */
  private void streamAndCompare(
      KafkaBroker broker, String name, int partitions, boolean onlyFirstPartition) {
    List<String> lines =
        WordLinesGenerator.create()
            .seed(name.hashCode())
            .events(900)
            .maxDisorderMillis(60_000)
            .generate()
            .lines();
    broker.createTopic(name + "-in", partitions);
    PipelineResult job =
        KafkaRuns.startWordCount(
            "--input=" + broker.uri(name + "-in") + "?out-of-order=2m&idle=1s",
            "--output=" + broker.uri(name + "-out") + "?partitions=1",
            "--windowSize=10m",
            "--windowPeriod=5m");
    try {
      int burst = lines.size() / 3;
      for (int b = 0; b < 3; b++) {
        List<String> part = lines.subList(b * burst, b == 2 ? lines.size() : (b + 1) * burst);
        broker.send(records(name + "-in", part, onlyFirstPartition ? 1 : partitions));
        KafkaRuns.sleep(Duration.ofSeconds(1));
      }
      List<String> expected = closedWindowResults(lines);
      assertThat(expected, not(empty()));

      awaitValues(
          broker,
          name + "-out",
          v -> v.size() >= expected.size(),
          Duration.ofSeconds(120),
          expected.size() + " results of closed windows");
      KafkaRuns.stop(job); // then everything it wrote is compared: an extra or doubled line shows
      List<String> got =
          broker.readAll(name + "-out").stream()
              .map(ConsumerRecord::value)
              .collect(Collectors.toList());
      assertThat(got, containsInAnyOrder(expected.toArray()));
    } finally {
      cancel(job);
    }
  }

  @Test
  void aLiveStreamToFilesWritesTheClosedWindowsInPeriodicBatches(
      KafkaBroker broker, @TempDir Path dir) throws Exception {
    List<String> lines =
        WordLinesGenerator.create()
            .seed(11)
            .events(600)
            .maxDisorderMillis(60_000)
            .generate()
            .lines();
    broker.createTopic("to-files-in", 2);
    broker.send(records("to-files-in", lines, 2));
    PipelineResult job =
        KafkaRuns.startWordCount(
            "--input=" + broker.uri("to-files-in") + "?out-of-order=2m&idle=1s",
            "--output=file:" + dir.resolve("counts"),
            "--windowSize=10m",
            "--windowPeriod=5m");
    try {
      List<String> expected = closedWindowResults(lines);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      List<String> got = List.of();
      while (got.size() < expected.size() && System.nanoTime() < deadline) {
        KafkaRuns.sleep(Duration.ofSeconds(1));
        got = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir, "counts-GlobalWindow-pane-*.jsonl")) {
          for (Path file : files) {
            got.addAll(Files.readAllLines(file));
          }
        }
      }
      assertThat(got, containsInAnyOrder(expected.toArray()));
    } finally {
      cancel(job);
    }
  }

  private static List<String> closedWindowResults(List<String> lines) {
    long maxEventTime =
        lines.stream().mapToLong(l -> TextEvent.timestampOrNull(l).getMillis()).max().getAsLong();
    Instant watermark = Instant.ofEpochMilli(maxEventTime).minus(Duration.ofMinutes(2));
    return SlidingWordCountModel.compute(lines, SIZE, PERIOD).stream()
        .filter(r -> !windowEnd(r).isAfter(watermark))
        .collect(Collectors.toList());
  }

  @Test
  void aWrongBrokerAddressFailsBeforeLaunchWithinTheTimeout(@TempDir Path dir) throws IOException {
    int unused;
    try (ServerSocket socket = new ServerSocket(0)) {
      unused = socket.getLocalPort();
    }
    IllegalArgumentException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(45),
            () ->
                assertThrows(
                    IllegalArgumentException.class,
                    () ->
                        KafkaRuns.runWordCount(
                            "--input=kafka://127.0.0.1:" + unused + "/words?stop=now",
                            "--output=file:" + dir.resolve("out"))));
    assertThat(
        e.getMessage(),
        containsString("--input: no answer from a Kafka broker at 127.0.0.1:" + unused));
    assertThat(e.getMessage(), containsString("./sluice kafka status"));
  }

  @Test
  void aMissingTopicIsNamedBeforeLaunch(KafkaBroker broker, @TempDir Path dir) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KafkaRuns.runWordCount(
                    "--input=" + broker.uri("no-such-words"),
                    "--output=file:" + dir.resolve("out")));
    assertThat(
        e.getMessage(),
        containsString(
            "--input: topic 'no-such-words' does not exist on " + broker.bootstrapServers()));
    IllegalArgumentException out =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              broker.createTopic("some-words", 1);
              KafkaRuns.runWordCount(
                  "--input=" + broker.uri("some-words") + "?stop=now",
                  "--output=" + broker.uri("no-such-counts"));
            });
    assertThat(out.getMessage(), containsString("--output: topic 'no-such-counts' does not exist"));
  }

  private static void cancel(PipelineResult job) {
    try {
      job.cancel();
    } catch (IOException | UnsupportedOperationException e) {
      throw new AssertionError("could not cancel the streaming job", e);
    }
  }
}
