package dev.sluice.runners.benchmarks;

import dev.sluice.launcher.kafka.Topics;
import dev.sluice.testing.kafka.KafkaEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A stream run's output topics as the benchmarks read them back: {@code <topic><output>} for each
 * output suffix ({@code ""}, {@code ".alerts"}, ...), every partition from its start.
 */
final class OutputTopics {
  private OutputTopics() {}

  /**
   * A consumer assigned to every partition of each output's topic, at its start; {@code
   * outputOfTopic} gets each topic's output suffix. The caller closes it with {@link
   * dev.sluice.pipelines.io.KafkaClients#close}.
   */
  static KafkaConsumer<String, String> readFromStart(
      KafkaEndpoint broker,
      String topic,
      Iterable<String> outputs,
      int partitions,
      Map<String, String> outputOfTopic) {
    KafkaConsumer<String, String> consumer = Topics.consumer(broker.bootstrapServers());
    List<TopicPartition> assigned = new ArrayList<>();
    for (String output : outputs) {
      outputOfTopic.put(topic + output, output);
      for (int p = 0; p < partitions; p++) {
        assigned.add(new TopicPartition(topic + output, p));
      }
    }
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);
    return consumer;
  }
}
