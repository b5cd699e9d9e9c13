package dev.sluice.testing.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.pipelines.io.KafkaClients;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.conformance.BadInputCheck;
import dev.sluice.testing.generate.BadRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Kafka values that are not UTF-8 or too long are dead letters too, read as bytes. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaBadInputTest {
  private static final int LIMIT = 512;

  @Test
  void aBoundedReadSendsEveryBadValueToTheDeadLettersWithItsKind(
      KafkaBroker broker, @TempDir Path dir) throws Exception {
    List<String> clean = WordLinesGenerator.create().seed(13).events(200).lines();
    Path dirty = dir.resolve("dirty.jsonl");
    BadRecords.Injected injected =
        BadRecords.forFields("ts", "text")
            .withSeed(3)
            .withMaxRecordBytes(LIMIT)
            .writeDirty(clean, 36, dirty);
    broker.createTopic("bad-in", 1);
    sendBytes(broker, "bad-in", lines(dirty)); // value of offset n = line n + 1

    Path out = dir.resolve("out");
    JobRun.Result run =
        JobRun.of("word-count")
            .args(
                "--input=" + broker.uri("bad-in") + "?stop=now",
                "--output=file:" + out,
                "--windowSize=10m",
                "--windowPeriod=5m",
                "--maxRecordBytes=" + LIMIT)
            .ok();

    assertThat(
        run.lines(),
        equalTo(
            SlidingWordCountModel.compute(
                    clean, Duration.standardMinutes(10), Duration.standardMinutes(5))
                .stream()
                .sorted()
                .toList()));
    BadInputCheck.deadLettersAreTheInjectedRecords(
        dir.resolve("out.dead-letters"),
        injected,
        LIMIT,
        position -> Long.parseLong(position.substring(position.indexOf('@') + 1)) + 1);
    BadInputCheck.countsAddUp(BadInputCheck.summaryCounts(run.stderr(), "word-count"), injected);
  }

  private static List<byte[]> lines(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        lines.add(Arrays.copyOfRange(all, start, i));
        start = i + 1;
      }
    }
    return lines;
  }

  private static void sendBytes(KafkaBroker broker, String topic, List<byte[]> values)
      throws Exception {
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    try {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (byte[] value : values) {
        acks.add(producer.send(new ProducerRecord<>(topic, 0, null, value)));
      }
      producer.flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get(60, TimeUnit.SECONDS);
      }
    } finally {
      KafkaClients.close(producer);
    }
  }
}
