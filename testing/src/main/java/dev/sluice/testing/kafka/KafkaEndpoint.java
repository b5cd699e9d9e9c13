package dev.sluice.testing.kafka;

import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.io.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a test needs of a running Kafka broker, through kafka-clients only: where it is, the Sluice
 * URI of a topic, and topics created, written and read back. A {@link KafkaBroker} in this JVM is
 * one; so is a broker in its own JVM ({@code conformance.KafkaProcessExtension}), which is how a
 * module whose classpath cannot hold the broker (Spark's: Scala 2.12 vs the broker's 2.13) reaches
 * one.
 */
public class KafkaEndpoint {
  private final String bootstrapServers;
  private final Map<String, Object> loginConfig;

  /**
   * @param bootstrapServers {@code 127.0.0.1:<port>}
   * @param loginConfig the client settings every helper adds (a SASL login; empty for none)
   */
  protected KafkaEndpoint(String bootstrapServers, Map<String, Object> loginConfig) {
    this.bootstrapServers = bootstrapServers;
    this.loginConfig = Map.copyOf(loginConfig);
  }

  /** An open broker (no login) at {@code bootstrapServers}. */
  public static KafkaEndpoint at(String bootstrapServers) {
    return new KafkaEndpoint(bootstrapServers, Map.of());
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public int port() {
    return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
  }

  /** The Sluice URI of {@code topic} on this broker, {@code kafka://127.0.0.1:<port>/<topic>}. */
  public String uri(String topic) {
    return "kafka://" + bootstrapServers + "/" + topic;
  }

  /**
   * The client settings this class's helpers add to every client they make (a secured broker's
   * login; empty for an open broker).
   */
  public Map<String, Object> loginConfig() {
    return loginConfig;
  }

  /**
   * An admin client of this broker (with {@link #loginConfig}); the caller closes it with {@link
   * KafkaClients#close(Admin)}.
   */
  public Admin admin() {
    Map<String, Object> config = new HashMap<>(loginConfig);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    return Admin.create(config);
  }

  /**
   * Creates {@code topic} with {@code partitions} partitions and waits until clients see every
   * partition with a leader (creation is acknowledged before the metadata has spread).
   */
  public void createTopic(String topic, int partitions) {
    createTopic(topic, partitions, Map.of());
  }

  /**
   * As {@link #createTopic(String, int)}, with topic settings {@code config} (e.g. {@code
   * message.timestamp.type=LogAppendTime}).
   */
  public void createTopic(String topic, int partitions, Map<String, String> config) {
    Admin admin = admin();
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(config)))
          .all()
          .get(30, TimeUnit.SECONDS);
      Topics.awaitPartitions(
          bootstrapServers, topic, partitions, Duration.ofSeconds(30), loginConfig);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + topic + ": " + e.getMessage(), e);
    } finally {
      KafkaClients.close(admin);
    }
  }

  /** Writes {@code records} and waits until the broker has acknowledged every one. */
  public void send(List<ProducerRecord<String, String>> records) {
    KafkaProducer<String, String> producer = Topics.producer(bootstrapServers, loginConfig);
    try {
      Topics.sendAll(producer, records);
    } finally {
      KafkaClients.close(producer);
    }
  }

  /** Every record of {@code topic} from the start to its end offsets at the time of the call. */
  public List<ConsumerRecord<String, String>> readAll(String topic) {
    return Topics.readRange(bootstrapServers, topic, Duration.ofSeconds(60), loginConfig);
  }

  @Override
  public String toString() {
    return "Kafka at " + bootstrapServers;
  }
}
