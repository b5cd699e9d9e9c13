package dev.sluice.testing.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipelines.wordcount.SlidingWordCount;
import dev.sluice.pipelines.wordcount.TextEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the Kafka tests share: writing input lines, running word-count, waiting for output. */
final class KafkaRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KafkaRuns() {}

  /**
   * Word-count input lines as records spread over partitions, timestamped with their event time.
   */
  static List<ProducerRecord<String, String>> records(
      String topic, List<String> lines, int partitions) {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      org.joda.time.Instant time = TextEvent.timestampOrNull(lines.get(i));
      records.add(
          new ProducerRecord<>(
              topic, i % partitions, time == null ? null : time.getMillis(), null, lines.get(i)));
    }
    return records;
  }

  /** Builds word-count from flags and runs it to the end (bounded input). */
  static void runWordCount(String... flags) {
    SlidingWordCount.Options options =
        PipelineOptionsFactory.fromArgs(flags).withValidation().as(SlidingWordCount.Options.class);
    SlidingWordCount.build(options).run().waitUntilFinish();
  }

  /** Starts word-count on a stream and returns at once; the caller cancels it. */
  static PipelineResult startWordCount(String... flags) {
    SlidingWordCount.Options options =
        PipelineOptionsFactory.fromArgs(flags).withValidation().as(SlidingWordCount.Options.class);
    options.as(DirectOptions.class).setBlockOnRun(false);
    return SlidingWordCount.build(options).run();
  }

  /** The values of {@code topic}, read again and again until {@code done} holds or time is up. */
  static List<String> awaitValues(
      KafkaBroker broker,
      String topic,
      Predicate<List<String>> done,
      Duration timeout,
      String waitingFor) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> values = List.of();
    while (System.nanoTime() < deadline) {
      values =
          broker.readAll(topic).stream().map(ConsumerRecord::value).collect(Collectors.toList());
      if (done.test(values)) {
        return values;
      }
      sleep(Duration.ofMillis(500));
    }
    fail(
        String.format(
            "waited %s for %s on topic %s; it holds %d records",
            timeout, waitingFor, topic, values.size()));
    return values;
  }

  /**
   * Cancels a streaming job and waits (at most 60 s) until it has stopped: what its outputs hold
   * after this is everything it wrote, so a test compares all of it, extra or doubled lines
   * included, instead of waiting a while and assuming nothing more comes.
   */
  static void stop(PipelineResult job) {
    try {
      job.cancel();
    } catch (IOException | UnsupportedOperationException e) {
      throw new AssertionError("could not cancel the streaming job", e);
    }
    PipelineResult.State state = job.waitUntilFinish(org.joda.time.Duration.standardSeconds(60));
    if (state == null || !state.isTerminal()) {
      fail("the streaming job did not stop within 60 s of its cancel: " + state);
    }
  }

  /** The {@code window_end} of a result line. */
  static Instant windowEnd(String resultLine) {
    try {
      return Instant.parse(JSON.readTree(resultLine).get("window_end").asText());
    } catch (Exception e) {
      throw new AssertionError("not a result line: " + resultLine, e);
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
