package dev.sluice.testing.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerTest {
  @Test
  void listensOnLoopbackOnly(KafkaBroker broker) {
    assertThat(broker.bootstrapServers(), startsWith("127.0.0.1:"));
    assertThat(broker.uri("t"), startsWith("kafka://127.0.0.1:"));
  }

  @Test
  void readsBackWhatWasWrittenInOffsetOrderPerPartition(KafkaBroker broker) {
    broker.createTopic("round-trip", 3);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      records.add(new ProducerRecord<>("round-trip", i % 3, 1_000L + i, "k" + i, "v" + i));
    }
    broker.send(records);

    List<ConsumerRecord<String, String>> read = broker.readAll("round-trip");

    assertEquals(30, read.size());
    List<String> partitionZero =
        read.stream()
            .filter(r -> r.partition() == 0)
            .map(ConsumerRecord::value)
            .collect(Collectors.toList());
    assertThat(
        partitionZero, contains("v0", "v3", "v6", "v9", "v12", "v15", "v18", "v21", "v24", "v27"));
    assertEquals(
        1_027L, read.stream().filter(r -> r.value().equals("v27")).findFirst().get().timestamp());
  }

  @Test
  void refusesToCreateTopicsByAccident(KafkaBroker broker) {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> broker.readAll("no-such-topic"));
    assertThat(e.getMessage(), containsString("does not exist"));
  }
}
