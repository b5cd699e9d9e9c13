package dev.sluice.runners.benchmarks.nativeflink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.io.KafkaClients;
import dev.sluice.pipelines.io.KafkaUri;
import dev.sluice.pipelines.logs.LogAnalyticsModel;
import dev.sluice.pipelines.risk.RiskControlModel;
import dev.sluice.pipelines.risk.RiskRules;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The native Flink jobs as streams over a real broker give the plain-Java model's answer: each
 * window fires once, when the watermark (largest event time − {@code out-of-order}) passes its end,
 * with the model's lines, into the topics Sluice's jobs would write.
 *
 * <p>The input topic (2 partitions) holds generated events, each with its event time as the
 * record's timestamp, then one sentinel per partition an hour of event time later: it moves each
 * partition's watermark past every window of the events (its own windows never close, and the model
 * does not see it). The job reads the topic from its start; this test reads the output topics as
 * they fill, until the model's lines are there or a deadline passes, then cancels the job.
 */
@ExtendWith(KafkaBrokerExtension.class)
class NativeFlinkStreamTest {
  private static final int PARTITIONS = 2;

  /** The generators' records are up to a minute out of order: none is late with this bound. */
  private static final String OUT_OF_ORDER = "2m";

  private static final org.joda.time.Duration SIZE = org.joda.time.Duration.standardSeconds(60);
  private static final org.joda.time.Duration PERIOD = org.joda.time.Duration.standardSeconds(20);

  /** How long the job may take to write every expected line (it takes seconds). */
  private static final Duration DEADLINE = Duration.ofMinutes(3);

  /** After the expected lines, how long without a new line before the outputs count as complete. */
  private static final Duration QUIET = Duration.ofSeconds(2);

  @Test
  void wordCountWindowsEqualTheModelAndEveryMalformedLineIsADeadLetter(KafkaBroker broker)
      throws Exception {
    GeneratedEvents events =
        Generators.named("words")
            .orElseThrow()
            .generate(
                GeneratorSettings.defaults()
                    .withEvents(5_000)
                    .withSpan(Duration.ofMinutes(10))
                    .withSeed(7)
                    .withMalformed(0.01));
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("", sorted(SlidingWordCountModel.compute(events.lines(), SIZE, PERIOD)));
    assertTrue(expected.get("").size() > 1_000, "a meaningful number of windows and words");
    int malformed = events.malformedLineNumbers().size();
    assertTrue(malformed > 10, "the input had malformed lines");

    Map<String, List<String>> written =
        run(
            broker,
            "words",
            NativeFlinkJobs.create("word-count", "60s", "20s"),
            "words",
            events,
            expected);

    assertEquals(expected.get(""), written.get(""));
    assertEquals(malformed, written.get(".dead-letters").size());
    assertTrue(written.get(".alerts").isEmpty(), "word-count writes no alerts");
  }

  @Test
  void logAnalyticsWindowsAndAlertsEqualTheModel(KafkaBroker broker) throws Exception {
    GeneratedEvents events =
        Generators.named("access-logs")
            .orElseThrow()
            .generate(
                GeneratorSettings.defaults()
                    .withEvents(5_000)
                    .withSpan(Duration.ofMinutes(10))
                    .withSeed(7)
                    .withMalformed(0.01));
    Map<String, List<String>> model =
        LogAnalyticsModel.compute(events.lines(), SIZE, PERIOD, 0.05, 20);
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("", sorted(model.get("")));
    expected.put(".alerts", sorted(model.get(".alerts")));
    assertFalse(expected.get("").isEmpty(), "the model has results");
    assertFalse(expected.get(".alerts").isEmpty(), "the 5xx bursts raise error-rate alerts");

    Map<String, List<String>> written =
        run(
            broker,
            "logs",
            NativeFlinkJobs.create("log-analytics", "60s", "20s"),
            "access-logs",
            events,
            expected);

    assertEquals(expected.get(""), written.get(""));
    assertEquals(expected.get(".alerts"), written.get(".alerts"));
    assertEquals(events.malformedLineNumbers().size(), written.get(".dead-letters").size());
  }

  @Test
  void riskControlAlertsEqualTheModel(KafkaBroker broker) throws Exception {
    // The density the rules are tuned for (2 000 events an hour over 20 accounts), as the batch
    // test, over windows a tenth as long.
    GeneratedEvents events =
        Generators.named("transactions")
            .orElseThrow()
            .generate(
                GeneratorSettings.defaults()
                    .withEvents(5_000)
                    .withSpan(Duration.ofMinutes(150))
                    .withKeys(20)
                    .withSeed(7)
                    .withMalformed(0.01));
    RiskRules rules = RiskRules.of("60s", "20s", 5, 5.0, 3);
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("", sorted(RiskControlModel.compute(events.lines(), rules).get("")));
    assertFalse(expected.get("").isEmpty(), "the model raises alerts");

    Map<String, List<String>> written =
        run(
            broker,
            "risk",
            NativeFlinkJobs.create("risk-control", "60s", "20s"),
            "transactions",
            events,
            expected);

    assertEquals(expected.get(""), written.get(""));
    assertEquals(events.malformedLineNumbers().size(), written.get(".dead-letters").size());
  }

  @Test
  void badFlagsAreOneLineNamingTheFlagAndWhatIsAllowed() {
    String kafka = "kafka://127.0.0.1:9/t";
    assertEquals(
        "native-flink-stream: unknown job 'nope'; jobs: log-analytics, risk-control, word-count",
        usageError("nope", "--input=" + kafka, "--output=" + kafka));
    assertEquals(
        "native-flink-stream: --windowSize: 'ten' is not a duration; use a whole number and a unit"
            + " ms, s, m, h or d (e.g. 30s, 10m, 1h)",
        usageError("word-count", "--input=" + kafka, "--output=" + kafka, "--windowSize=ten"));
    assertTrue(
        usageError("word-count", "--input=/tmp/in", "--output=" + kafka)
            .startsWith("native-flink-stream: --input: '/tmp/in' is not a Kafka location"));
    assertTrue(
        usageError("word-count", "--input=" + kafka + "?stop=now", "--output=" + kafka)
            .startsWith("native-flink-stream: --input: stop= is not allowed"));
  }

  private static String usageError(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    int status = Cli.execute(new NativeFlinkStream(), "native-flink-stream", args, out, errStream);
    assertEquals(Cli.USAGE, status);
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.size(), "one line: " + lines);
    return lines.get(0);
  }

  /**
   * Fills topic {@code <name>-in} with {@code events} (and sentinels from their {@code generator}),
   * runs {@code job} as a stream into {@code <name>-out} and its side topics, reads them until each
   * holds at least as many lines as {@code expected} says (and dead letters one per malformed
   * line), then until they are quiet; cancels the job.
   *
   * @return the lines of each output ({@code ""}, {@code .alerts}, {@code .dead-letters}), sorted
   */
  private static Map<String, List<String>> run(
      KafkaBroker broker,
      String name,
      NativeFlinkJob job,
      String generator,
      GeneratedEvents events,
      Map<String, List<String>> expected)
      throws Exception {
    String in = name + "-in";
    String out = name + "-out";
    fill(broker, in, generator, events);
    List<String> outputs = List.of("", ".alerts", ".dead-letters");
    for (String output : outputs) {
      broker.createTopic(out + output, PARTITIONS);
    }
    Map<String, Integer> wanted = new TreeMap<>();
    expected.forEach((output, lines) -> wanted.put(output, lines.size()));
    wanted.put(".dead-letters", events.malformedLineNumbers().size());

    KafkaUri input = KafkaUri.parse("--input", broker.uri(in) + "?out-of-order=" + OUT_OF_ORDER);
    KafkaUri output = KafkaUri.parse("--output", broker.uri(out));
    try (NativeFlinkStream.Running running = NativeFlinkStream.start(job, input, output, 2);
        Written written = new Written(broker, out, outputs)) {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (!written.hasAtLeast(wanted)) {
        if (running.result().isDone()) {
          running.result().get(); // throws the job's failure
          fail("the stream ended on its own");
        }
        if (System.nanoTime() > deadline) {
          fail("within " + DEADLINE + " the job wrote " + written.counts() + "; want " + wanted);
        }
        written.poll();
      }
      written.untilQuiet(QUIET, Duration.ofSeconds(30));
      return written.sortedLines();
    }
  }

  /**
   * Writes the events to a new topic, each record at its event time, spread over the partitions,
   * then one sentinel per partition an hour of event time after the last event.
   */
  private static void fill(
      KafkaBroker broker, String topic, String generator, GeneratedEvents events) {
    broker.createTopic(topic, PARTITIONS);
    long last =
        events.eventTimes().stream()
            .filter(Objects::nonNull)
            .mapToLong(Long::longValue)
            .max()
            .orElseThrow();
    GeneratedEvents sentinels =
        Generators.named(generator)
            .orElseThrow()
            .generate(
                GeneratorSettings.defaults()
                    .withEvents(PARTITIONS)
                    .withSeed(7)
                    .withStart(Instant.ofEpochMilli(last).plus(Duration.ofHours(1)))
                    .withSpan(Duration.ofMinutes(1))
                    .withDisorder(Duration.ZERO));
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < events.lines().size(); i++) {
      records.add(record(topic, i % PARTITIONS, events, i));
    }
    for (int p = 0; p < PARTITIONS; p++) {
      records.add(record(topic, p, sentinels, p));
    }
    KafkaProducer<String, String> producer = Topics.producer(broker.bootstrapServers());
    try {
      Topics.sendAll(producer, records);
    } finally {
      KafkaClients.close(producer);
    }
  }

  private static ProducerRecord<String, String> record(
      String topic, int partition, GeneratedEvents events, int i) {
    return new ProducerRecord<>(
        topic, partition, events.eventTimes().get(i), events.keys().get(i), events.lines().get(i));
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    copy.sort(null);
    return copy;
  }

  /** The output topics' lines as they arrive, by output. */
  private static final class Written implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Map<String, List<String>> lines = new TreeMap<>();

    Written(KafkaBroker broker, String topic, List<String> outputs) {
      this.topic = topic;
      consumer = Topics.consumer(broker.bootstrapServers());
      List<TopicPartition> partitions = new ArrayList<>();
      for (String output : outputs) {
        lines.put(output, new ArrayList<>());
        for (int p = 0; p < PARTITIONS; p++) {
          partitions.add(new TopicPartition(topic + output, p));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    /** Reads what arrives within 200 ms; returns how many lines that was. */
    int poll() {
      int read = 0;
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
        lines.get(record.topic().substring(topic.length())).add(record.value());
        read++;
      }
      return read;
    }

    boolean hasAtLeast(Map<String, Integer> wanted) {
      return wanted.entrySet().stream().allMatch(w -> lines.get(w.getKey()).size() >= w.getValue());
    }

    /** Reads until nothing arrives for {@code quiet}, or for at most {@code atMost}. */
    void untilQuiet(Duration quiet, Duration atMost) {
      long deadline = System.nanoTime() + atMost.toNanos();
      long quietSince = System.nanoTime();
      while (System.nanoTime() - quietSince < quiet.toNanos() && System.nanoTime() < deadline) {
        if (poll() > 0) {
          quietSince = System.nanoTime();
        }
      }
    }

    Map<String, Integer> counts() {
      Map<String, Integer> counts = new TreeMap<>();
      lines.forEach((output, l) -> counts.put(output, l.size()));
      return counts;
    }

    Map<String, List<String>> sortedLines() {
      Map<String, List<String>> sorted = new TreeMap<>();
      lines.forEach((output, l) -> sorted.put(output, NativeFlinkStreamTest.sorted(l)));
      return sorted;
    }

    @Override
    public void close() {
      KafkaClients.close(consumer);
    }
  }
}
