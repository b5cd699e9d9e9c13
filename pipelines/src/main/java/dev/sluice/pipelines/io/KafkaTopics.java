package dev.sluice.pipelines.io;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a Kafka location holds, asked before launch with bounded waits: whether the broker answers,
 * whether the topic exists, and the offsets a bounded read covers. Every failure names the option,
 * the broker and what to do. Each question waits at most {@link #TIMEOUT}, and closing its client
 * at most {@link KafkaClients#CLOSE_TIMEOUT} more.
 *
 * <p>A refused login (SASL) is said as such, at once, naming the {@code config=} file to check; the
 * messages never repeat the file's contents, and a Kafka message quoted in one has the file's
 * secret values masked ({@link KafkaUri#redact}).
 */
final class KafkaTopics {
  /** The longest any question to the broker may take before launch. */
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private KafkaTopics() {}

  /** The topic's partitions, ascending. */
  static List<TopicPartition> partitions(String flag, KafkaUri uri) {
    KafkaConsumer<byte[], byte[]> consumer = consumer(flag, uri);
    try {
      return partitions(flag, uri, consumer);
    } finally {
      KafkaClients.close(consumer);
    }
  }

  private static List<TopicPartition> partitions(
      String flag, KafkaUri uri, KafkaConsumer<byte[], byte[]> consumer) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(uri.topic(), TIMEOUT);
      // A topic created a moment ago may not be in this broker's metadata yet: ask again, briefly.
      for (int retry = 0; (infos == null || infos.isEmpty()) && retry < 10; retry++) {
        Thread.sleep(200);
        infos = consumer.partitionsFor(uri.topic(), TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking up topic " + uri.topic(), e);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw unreachable(flag, uri, "the topic's partitions");
    } catch (AuthenticationException e) {
      throw loginRefused(flag, uri, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          String.format(
              "%s: cannot read topic '%s' on %s: %s",
              flag, uri.topic(), uri.bootstrapServers(), uri.redact(e.getMessage())),
          e);
    }
    if (infos == null || infos.isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: topic '%s' does not exist on %s; create it (./sluice kafka produce --topic=%s"
                  + " creates it), or check the name",
              flag, uri.topic(), uri.bootstrapServers(), uri.topic()));
    }
    return infos.stream()
        .map(i -> new TopicPartition(uri.topic(), i.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition))
        .collect(Collectors.toList());
  }

  /** Checks a sink topic exists, creating it first when the URI says {@code partitions=N}. */
  static void ensureSinkTopic(String flag, KafkaUri uri) {
    if (uri.partitions() > 0) {
      Admin admin = admin(flag, uri);
      try {
        admin
            .createTopics(List.of(new NewTopic(uri.topic(), uri.partitions(), (short) -1)))
            .all()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AuthenticationException) {
          throw loginRefused(flag, uri, (AuthenticationException) e.getCause());
        }
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalArgumentException(
              String.format(
                  "%s: cannot create topic '%s' on %s: %s",
                  flag, uri.topic(), uri.bootstrapServers(), uri.redact(e.getCause().getMessage())),
              e);
        }
      } catch (java.util.concurrent.TimeoutException e) {
        throw unreachable(flag, uri, "the topic to be created");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topic " + uri.topic(), e);
      } finally {
        KafkaClients.close(admin);
      }
    }
    partitions(flag, uri);
  }

  /**
   * The offset range {@code [from, to)} of each partition that a bounded read of {@code uri}
   * covers, fixed now, at launch.
   */
  static List<PartitionRange> boundedRanges(String flag, KafkaUri uri) {
    KafkaConsumer<byte[], byte[]> consumer = consumer(flag, uri);
    try {
      List<TopicPartition> partitions = partitions(flag, uri, consumer);
      Map<TopicPartition, Long> first;
      Map<TopicPartition, Long> end;
      try {
        first = consumer.beginningOffsets(partitions, TIMEOUT);
        end = consumer.endOffsets(partitions, TIMEOUT);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw unreachable(flag, uri, "the topic's offsets");
      }
      Map<TopicPartition, Long> from = new HashMap<>(first);
      switch (uri.startKind()) {
        case LATEST:
          from.putAll(end);
          break;
        case TIME:
          from = atTime(flag, uri, consumer, partitions, uri.startTimeMillis(), end);
          break;
        default:
          break;
      }
      Map<TopicPartition, Long> to = new HashMap<>(end);
      switch (uri.stopKind()) {
        case OFFSET:
          partitions.forEach(tp -> to.put(tp, Math.min(uri.stopOffset(), end.get(tp))));
          break;
        case PARTITION_OFFSETS:
          for (Map.Entry<Integer, Long> stop : uri.stopOffsets().entrySet()) {
            TopicPartition tp = new TopicPartition(uri.topic(), stop.getKey());
            if (!end.containsKey(tp)) {
              throw new IllegalArgumentException(
                  String.format(
                      "%s: stop names partition %d, but topic '%s' has partitions 0 to %d",
                      flag, stop.getKey(), uri.topic(), partitions.size() - 1));
            }
            if (stop.getValue() > end.get(tp)) {
              throw new IllegalArgumentException(
                  String.format(
                      "%s: stop offset %d of partition %d is beyond its end offset %d; a bounded"
                          + " read would wait for records not yet written (stop=now reads to"
                          + " the end)",
                      flag, stop.getValue(), stop.getKey(), end.get(tp)));
            }
          }
          partitions.forEach(
              tp -> to.put(tp, uri.stopOffsets().getOrDefault(tp.partition(), end.get(tp))));
          break;
        case TIME:
          to.putAll(atTime(flag, uri, consumer, partitions, uri.stopTimeMillis(), end));
          break;
        default:
          break;
      }
      List<PartitionRange> ranges = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        long a = Math.max(from.get(tp), first.get(tp));
        long b = to.get(tp);
        ranges.add(PartitionRange.of(uri.topic(), tp.partition(), a, Math.max(a, b)));
      }
      return ranges;
    } finally {
      KafkaClients.close(consumer);
    }
  }

  /** Per partition, the first offset whose record time is at or after {@code millis}, else end. */
  private static Map<TopicPartition, Long> atTime(
      String flag,
      KafkaUri uri,
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      long millis,
      Map<TopicPartition, Long> end) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, millis));
    Map<TopicPartition, OffsetAndTimestamp> found;
    try {
      found = consumer.offsetsForTimes(query, TIMEOUT);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw unreachable(flag, uri, "the offsets for a time");
    }
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndTimestamp at = found.get(tp);
      offsets.put(tp, at == null ? end.get(tp) : at.offset());
    }
    return offsets;
  }

  private static IllegalArgumentException unreachable(String flag, KafkaUri uri, String what) {
    // A broker that requires a login closes the connection of a client that does not log in:
    // to that client it looks like no answer at all.
    String login =
        uri.configFile() == null
            ? "; if the broker requires a login (SASL), put the client's security settings in a"
                + " properties file and pass config=PATH"
            : "";
    return new IllegalArgumentException(
        String.format(
            "%s: no answer from a Kafka broker at %s within %d s (waited for %s); check the"
                + " address and that the broker runs (./sluice kafka status)%s",
            flag, uri.bootstrapServers(), TIMEOUT.toSeconds(), what, login));
  }

  /**
   * The broker refused the client's login. Kafka's own message ("invalid credentials with SASL
   * mechanism ...") holds no secret but is masked anyway; the cause is kept for SLUICE_DEBUG.
   */
  private static IllegalArgumentException loginRefused(
      String flag, KafkaUri uri, AuthenticationException e) {
    String mechanism = uri.fileProperties().getOrDefault("sasl.mechanism", "GSSAPI");
    String fix =
        uri.configFile() == null
            ? "the broker requires a login: put the client's security settings in a properties"
                + " file and pass config=PATH"
            : "check the user name and password in the config file '" + uri.configFile() + "'";
    return new IllegalArgumentException(
        String.format(
            "%s: the Kafka broker at %s refused the login: authentication failed (SASL %s: %s);"
                + " %s",
            flag, uri.bootstrapServers(), mechanism, uri.redact(e.getMessage()), fix),
        e);
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String flag, KafkaUri uri) {
    Map<String, Object> config = uri.clientConfig();
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    try {
      return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (KafkaException e) {
      throw clientRefused(flag, uri, e);
    }
  }

  private static Admin admin(String flag, KafkaUri uri) {
    try {
      return Admin.create(adminConfig(uri));
    } catch (KafkaException e) {
      throw clientRefused(flag, uri, e);
    }
  }

  /**
   * Kafka could not make a client from the settings (a malformed sasl.jaas.config, an unknown
   * mechanism): its innermost message says why, masked, as the outer one only says "Failed to
   * construct kafka consumer". No cause is kept: the inner messages may quote the settings.
   */
  private static IllegalArgumentException clientRefused(
      String flag, KafkaUri uri, KafkaException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new IllegalArgumentException(
        String.format(
            "%s: cannot make a Kafka client for %s from its settings%s: %s",
            flag,
            uri.bootstrapServers(),
            uri.configFile() == null ? "" : " (config file '" + uri.configFile() + "')",
            uri.redact(root.getMessage())));
  }

  private static Map<String, Object> adminConfig(KafkaUri uri) {
    Map<String, Object> config = uri.clientConfig();
    config.put("request.timeout.ms", (int) TIMEOUT.toMillis());
    config.put("default.api.timeout.ms", (int) TIMEOUT.toMillis());
    return config;
  }
}
