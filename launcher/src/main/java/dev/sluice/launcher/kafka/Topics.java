package dev.sluice.launcher.kafka;

import dev.sluice.pipelines.io.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients for tests and the {@code ./sluice kafka} tools: write, and read a range.
 * Every client's requests are bounded by its settings; whoever takes one closes it with {@link
 * KafkaClients#close} (bounded too), never with a plain {@code close()}.
 */
public final class Topics {
  private Topics() {}

  /**
   * A string producer that waits for every write to be acknowledged ({@code acks=all}), for up to
   * 60 s per record, as long as {@link #sendAll} waits for it (a busy broker took longer than 30 s
   * to acknowledge a test's first batch on a loaded 2-core machine).
   */
  public static KafkaProducer<String, String> producer(String bootstrapServers) {
    return producer(bootstrapServers, Map.of());
  }

  /** As {@link #producer(String)}, with {@code login} (SASL settings, say) added. */
  public static KafkaProducer<String, String> producer(
      String bootstrapServers, Map<String, Object> login) {
    Map<String, Object> config = new HashMap<>(login);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /**
   * A string producer ({@code acks=all}) none of whose waits outlasts {@code timeout}: for metadata
   * or buffer space in {@code send}, and for each record's acknowledgement (a record not
   * acknowledged within {@code timeout} of being sent fails).
   */
  public static KafkaProducer<String, String> producer(String bootstrapServers, Duration timeout) {
    int linger = 5;
    int millis = (int) Math.max(timeout.toMillis(), 100 + linger);
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.LINGER_MS_CONFIG, linger,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, millis,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis - linger),
        new StringSerializer(),
        new StringSerializer());
  }

  /**
   * An admin client whose requests and calls give up after {@code timeout}; the caller closes it.
   */
  public static Admin admin(String bootstrapServers, Duration timeout) {
    int millis = (int) timeout.toMillis();
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis));
  }

  /** Sends {@code records} and waits (bounded) until the broker acknowledged each of them. */
  public static void sendAll(
      KafkaProducer<String, String> producer, List<ProducerRecord<String, String>> records) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    for (ProducerRecord<String, String> record : records) {
      acks.add(producer.send(record));
    }
    producer.flush();
    for (Future<RecordMetadata> ack : acks) {
      try {
        ack.get(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing to Kafka", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("a write to Kafka failed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Waits until a client sees {@code partitions} partitions of {@code topic}, each with a leader.
   *
   * @throws IllegalStateException if that takes longer than {@code timeout}
   */
  public static void awaitPartitions(
      String bootstrapServers, String topic, int partitions, Duration timeout) {
    awaitPartitions(bootstrapServers, topic, partitions, timeout, Map.of());
  }

  /** As {@link #awaitPartitions(String, String, int, Duration)}, logging in with {@code login}. */
  public static void awaitPartitions(
      String bootstrapServers,
      String topic,
      int partitions,
      Duration timeout,
      Map<String, Object> login) {
    long deadline = System.nanoTime() + timeout.toNanos();
    KafkaConsumer<String, String> consumer =
        consumer(bootstrapServers, Duration.ofSeconds(15), login);
    try {
      while (true) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (infos != null
            && infos.size() >= partitions
            && infos.stream().allMatch(i -> i.leader() != null && !i.leader().isEmpty())) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              String.format(
                  "topic '%s' was created but its %d partitions did not become visible within %s",
                  topic, partitions, timeout));
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
        }
      }
    } finally {
      KafkaClients.close(consumer);
    }
  }

  /** A string consumer without a group: it reads by explicit assignment only. */
  public static KafkaConsumer<String, String> consumer(String bootstrapServers) {
    return consumer(bootstrapServers, Duration.ofSeconds(15));
  }

  /** A group-less string consumer whose blocking calls give up after {@code timeout}. */
  public static KafkaConsumer<String, String> consumer(String bootstrapServers, Duration timeout) {
    return consumer(bootstrapServers, timeout, Map.of());
  }

  /** As {@link #consumer(String, Duration)}, with {@code login} (SASL settings, say) added. */
  public static KafkaConsumer<String, String> consumer(
      String bootstrapServers, Duration timeout, Map<String, Object> login) {
    int millis = (int) timeout.toMillis();
    Map<String, Object> config = new HashMap<>(login);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /**
   * Reads every partition of {@code topic} from its beginning to its end offset at the time of the
   * call, ordered by partition then offset.
   *
   * @throws IllegalStateException if the topic does not exist or the range is not read in time
   */
  public static List<ConsumerRecord<String, String>> readRange(
      String bootstrapServers, String topic, Duration timeout) {
    return readRange(bootstrapServers, topic, timeout, Map.of());
  }

  /** As {@link #readRange(String, String, Duration)}, logging in with {@code login}. */
  public static List<ConsumerRecord<String, String>> readRange(
      String bootstrapServers, String topic, Duration timeout, Map<String, Object> login) {
    KafkaConsumer<String, String> consumer =
        consumer(bootstrapServers, Duration.ofSeconds(15), login);
    try {
      return readRange(consumer, bootstrapServers, topic, timeout);
    } finally {
      KafkaClients.close(consumer);
    }
  }

  /**
   * What a {@code read_committed} consumer sees of {@code topic}, from its beginning to its last
   * stable offset at the time of the call: records of committed transactions (and records written
   * without one), never those of open or aborted transactions.
   */
  public static List<ConsumerRecord<String, String>> readCommitted(
      String bootstrapServers, String topic, Duration timeout) {
    KafkaConsumer<String, String> consumer =
        consumer(
            bootstrapServers,
            Duration.ofSeconds(15),
            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    try {
      return readRange(consumer, bootstrapServers, topic, timeout);
    } finally {
      KafkaClients.close(consumer);
    }
  }

  private static List<ConsumerRecord<String, String>> readRange(
      KafkaConsumer<String, String> consumer,
      String bootstrapServers,
      String topic,
      Duration timeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic '" + topic + "' does not exist on " + bootstrapServers);
    }
    List<TopicPartition> partitions =
        infos.stream()
            .map(i -> new TopicPartition(topic, i.partition()))
            .sorted(Comparator.comparingInt(TopicPartition::partition))
            .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reachedEnd(consumer, end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "reading topic '%s' up to offsets %s took longer than %s; read %d records",
                topic, end, timeout, records.size()));
      }
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    records.sort(
        Comparator.<ConsumerRecord<String, String>>comparingInt(ConsumerRecord::partition)
            .thenComparingLong(ConsumerRecord::offset));
    records.removeIf(r -> r.offset() >= end.get(new TopicPartition(topic, r.partition())));
    return records;
  }

  private static boolean reachedEnd(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
