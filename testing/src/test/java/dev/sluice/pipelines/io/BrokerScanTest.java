package dev.sluice.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TopicProgress.BrokerScan} against a real broker: the largest event time of what the
 * partitions hold (out of order within a partition included), by the read's own rule, and only what
 * arrived since the previous scan. (In this package because the scan is package-private.)
 */
@ExtendWith(KafkaBrokerExtension.class)
class BrokerScanTest {
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final SerializableFunction<String, @Nullable Instant> T_EQUALS =
      v -> v.startsWith("t=") ? new Instant(Long.parseLong(v.substring(2))) : null;

  private static ProducerRecord<String, String> at(String topic, int p, long ts, String value) {
    return new ProducerRecord<>(topic, p, ts, null, value);
  }

  @Test
  void findsTheLargestEventTimeThePartitionsHoldAndThenOnlyWhatIsNew(KafkaBroker broker) {
    broker.createTopic("scan-values", 3);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      records.add(at("scan-values", 0, T0, "t=" + (T0 + i * 60_000L)));
    }
    records.add(at("scan-values", 0, T0, "t=" + T0)); // the newest record is out of order
    records.add(at("scan-values", 1, T0 + 99 * 3_600_000L, "no time: a dead letter to be"));
    records.add(at("scan-values", 1, T0, "t=" + (T0 + 5 * 60_000L)));
    broker.send(records); // partition 2 stays empty
    TopicProgress.BrokerScan scan =
        new TopicProgress.BrokerScan(
            KafkaUri.parse("--input", broker.uri("scan-values")), T_EQUALS);
    Map<Integer, Long> from = new HashMap<>();

    assertEquals(T0 + 19 * 60_000L, scan.scan(from));
    assertEquals(Map.of(0, 21L, 1, 2L, 2, 0L), from);
    assertEquals(Long.MIN_VALUE, scan.scan(from), "nothing new");

    broker.send(List.of(at("scan-values", 2, T0, "t=" + (T0 + 30 * 60_000L))));
    assertEquals(T0 + 30 * 60_000L, scan.scan(from));
    assertEquals(Map.of(0, 21L, 1, 2L, 2, 1L), from);
  }

  @Test
  void withRecordTimestampsTheKafkaTimestampIsTheEventTime(KafkaBroker broker) {
    broker.createTopic("scan-timestamps", 2);
    broker.send(
        List.of(
            at("scan-timestamps", 0, T0 + 60_000L, "a"),
            at("scan-timestamps", 1, T0 + 120_000L, "b"),
            at("scan-timestamps", 1, T0, "c")));
    TopicProgress.BrokerScan scan =
        new TopicProgress.BrokerScan(
            KafkaUri.parse("--input", broker.uri("scan-timestamps")),
            EventTimePolicy.RECORD_TIMESTAMP);

    assertEquals(T0 + 120_000L, scan.scan(new HashMap<>()));
  }
}
