package dev.sluice.testing.kafka;

import static dev.sluice.testing.kafka.KafkaRuns.awaitValues;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.io.KafkaClients;
import dev.sluice.pipelines.io.ReadRecords;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.transforms.quality.RawRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a read of a topic covers: explicit bounds, and a consumer group across restarts. */
@ExtendWith({KafkaBrokerExtension.class, TestPipelineExtension.class})
class KafkaReadsTest {
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  /** Partition p gets values p-0 … p-(n-1), record i timestamped T0 + i minutes. */
  private static void fill(KafkaBroker broker, String topic, int partitions, int perPartition) {
    broker.createTopic(topic, partitions);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      for (int i = 0; i < perPartition; i++) {
        records.add(new ProducerRecord<>(topic, p, T0 + i * 60_000L, null, p + "-" + i));
      }
    }
    broker.send(records);
  }

  private static PCollection<String> values(Pipeline p, String uri) {
    return p.apply(ReadRecords.from("--input", uri))
        .apply(MapElements.into(TypeDescriptors.strings()).via(RawRecord::payload));
  }

  private static List<String> expected(int partitions, int from, int to) {
    List<String> values = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      for (int i = from; i < to; i++) {
        values.add(p + "-" + i);
      }
    }
    return values;
  }

  @Test
  void stopAtAnOffsetReadsThatManyOfEveryPartition(KafkaBroker broker, TestPipeline p) {
    fill(broker, "by-offset", 2, 10);
    PAssert.that(values(p, broker.uri("by-offset") + "?stop=4"))
        .containsInAnyOrder(expected(2, 0, 4));
    p.run().waitUntilFinish();
  }

  @Test
  void stopAtOffsetsPerPartition(KafkaBroker broker, TestPipeline p) {
    fill(broker, "per-partition", 2, 10);
    PAssert.that(values(p, broker.uri("per-partition") + "?stop=0:3,1:7"))
        .containsInAnyOrder(
            List.of("0-0", "0-1", "0-2", "1-0", "1-1", "1-2", "1-3", "1-4", "1-5", "1-6"));
    p.run().waitUntilFinish();
  }

  @Test
  void startAndStopAtTimesReadTheRecordsBetween(KafkaBroker broker, TestPipeline p) {
    fill(broker, "by-time", 3, 10);
    PAssert.that(
            values(
                p, broker.uri("by-time") + "?start=2026-01-01T00:02:00Z&stop=2026-01-01T00:05:00Z"))
        .containsInAnyOrder(expected(3, 2, 5));
    p.run().waitUntilFinish();
  }

  @Test
  void aStopBeyondTheEndIsRefusedRatherThanWaitedFor(KafkaBroker broker, TestPipeline p) {
    fill(broker, "short", 1, 5);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> values(p, broker.uri("short") + "?stop=0:50"));
    assertThat(e.getMessage(), containsString("beyond its end offset 5"));
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void anExactlyOnceWriteCommitsEachRecordOnceInATransaction(KafkaBroker broker) {
    fill(broker, "eos-in", 2, 250);
    broker.createTopic("eos-out", 2);
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    values(p, broker.uri("eos-in") + "?stop=now")
        .apply(WriteLines.to("--output", broker.uri("eos-out") + "?delivery=exactly-once"));
    p.run().waitUntilFinish();

    Map<String, Object> config =
        Map.of(
            "bootstrap.servers", broker.bootstrapServers(),
            "isolation.level", "read_committed",
            "auto.offset.reset", "earliest");
    List<String> committed = new ArrayList<>();
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    try {
      List<TopicPartition> partitions =
          List.of(new TopicPartition("eos-out", 0), new TopicPartition("eos-out", 1));
      consumer.assign(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (committed.size() < 500 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> committed.add(r.value()));
      }
      consumer.poll(Duration.ofSeconds(1)).forEach(r -> committed.add(r.value()));
    } finally {
      KafkaClients.close(consumer);
    }
    assertThat(committed, containsInAnyOrder(expected(2, 0, 250).toArray()));
  }

  /**
   * A second exactly-once run to the same topic starts with progress of its own (its own sink id):
   * KafkaIO refused to start a sink whose group held an earlier run's progress ("Kafka metadata
   * exists for shard 0, but there is no stored state for it") when the id was the topic.
   */
  @Test
  void aSecondExactlyOnceRunToTheSameTopicWritesAgain(KafkaBroker broker) {
    fill(broker, "eos-again-in", 1, 40);
    broker.createTopic("eos-again-out", 1);
    for (int run = 1; run <= 2; run++) {
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      values(p, broker.uri("eos-again-in") + "?stop=now")
          .apply(WriteLines.to("--output", broker.uri("eos-again-out") + "?delivery=exactly-once"));
      p.run().waitUntilFinish();
    }
    List<String> both = new ArrayList<>(expected(1, 0, 40));
    both.addAll(expected(1, 0, 40));
    List<String> committed =
        Topics.readCommitted(broker.bootstrapServers(), "eos-again-out", Duration.ofSeconds(60))
            .stream()
            .map(ConsumerRecord::value)
            .toList();
    assertThat(committed, containsInAnyOrder(both.toArray()));
  }

  /**
   * A streaming read with a group commits the offsets of what it has read when the runner finalizes
   * a checkpoint; a restart continues from the committed offsets. What was read after the last
   * finalized checkpoint is read again (at least once): on the DirectRunner a checkpoint is
   * finalized when the next bundle of its split starts, so that is the last bundle.
   */
  @Test
  void aRestartWithTheSameGroupDoesNotReReadCommittedRecords(KafkaBroker broker) throws Exception {
    broker.createTopic("orders", 2);
    broker.createTopic("orders-copy", 1);
    String input = broker.uri("orders") + "?group=copier";
    String output = broker.uri("orders-copy");

    broker.send(batch("orders", "first", 100));
    PipelineResult run = startCopy(input, output);
    awaitValues(broker, "orders-copy", v -> v.size() >= 100, Duration.ofSeconds(90), "100 copies");
    Map<Integer, Long> committed = awaitCommittedSettles(broker, "copier", "orders");
    run.cancel();
    run.waitUntilFinish(org.joda.time.Duration.standardSeconds(30));

    broker.send(batch("orders", "second", 50));
    List<String> expected = new ArrayList<>(values("first", 100));
    List<String> uncommitted = new ArrayList<>();
    for (ConsumerRecord<String, String> r : broker.readAll("orders")) {
      if (r.offset() >= committed.getOrDefault(r.partition(), 0L)) {
        uncommitted.add(r.value()); // read again after the restart: every "second", some "first"
      }
    }
    expected.addAll(uncommitted);
    assertThat(
        "most of the first batch was committed",
        uncommitted.size(),
        org.hamcrest.Matchers.lessThanOrEqualTo(50 + 50));
    PipelineResult restart = startCopy(input, output);
    try {
      awaitValues(
          broker,
          "orders-copy",
          v -> v.size() >= expected.size(),
          Duration.ofSeconds(90),
          expected.size() + " copies");
      KafkaRuns.stop(restart); // then everything it copied is compared: a re-read record shows
      List<String> copies =
          broker.readAll("orders-copy").stream()
              .map(ConsumerRecord::value)
              .collect(Collectors.toList());
      assertThat(copies, containsInAnyOrder(expected.toArray()));
    } finally {
      restart.cancel();
    }
  }

  private static List<String> values(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).collect(Collectors.toList());
  }

  private static List<ProducerRecord<String, String>> batch(String topic, String prefix, int n) {
    return values(prefix, n).stream()
        .map(v -> new ProducerRecord<String, String>(topic, null, T0, null, v))
        .collect(Collectors.toList());
  }

  private static PipelineResult startCopy(String input, String output) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.as(DirectOptions.class).setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    values(p, input).apply(WriteLines.to("--output", output));
    return p.run();
  }

  /**
   * Waits until the group has committed something and its offsets have not moved for 3 s; returns
   * them per partition.
   */
  private static Map<Integer, Long> awaitCommittedSettles(
      KafkaBroker broker, String group, String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Map<Integer, Long> last = Map.of();
    long stableSince = System.nanoTime();
    Admin admin = broker.admin();
    try {
      while (System.nanoTime() < deadline) {
        Map<Integer, Long> now = new java.util.TreeMap<>();
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS)
            .forEach(
                (tp, offset) -> {
                  if (tp.topic().equals(topic) && offset != null) {
                    now.put(tp.partition(), offset.offset());
                  }
                });
        if (!now.equals(last)) {
          last = now;
          stableSince = System.nanoTime();
        } else if (!now.isEmpty() && System.nanoTime() - stableSince > 3_000_000_000L) {
          return now;
        }
        Thread.sleep(250);
      }
    } finally {
      KafkaClients.close(admin);
    }
    throw new AssertionError(
        "group " + group + " did not commit settled offsets within 60 s: " + last);
  }
}
