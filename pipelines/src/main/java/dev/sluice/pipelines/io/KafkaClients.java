package dev.sluice.pipelines.io;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;

/**
 * Closes the Kafka clients Sluice makes itself (admin clients, producers, consumers) within {@link
 * #CLOSE_TIMEOUT}: the one way to close them, in a {@code finally} block instead of
 * try-with-resources.
 *
 * <p>A plain {@code close()} is not bounded: an admin client's and a producer's wait for their
 * pending requests without limit (a consumer's for 30 s), so a peer that accepted the connection
 * but never answers (not a Kafka broker, or one that hangs) would keep a command or a test waiting
 * for ever after its own bounded wait had already failed. {@code close(Duration)} abandons what is
 * still pending when the time is up.
 *
 * <p>These methods never throw: a client is closed after its work succeeded or failed, and a
 * failure to close (Kafka logs it) must not hide that outcome, nor a failure the caller is already
 * throwing. An interrupt stays set on the thread.
 */
public final class KafkaClients {
  /** The longest closing a client waits for its pending requests. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private KafkaClients() {}

  /** Closes {@code admin} (null: nothing) within {@link #CLOSE_TIMEOUT}. */
  public static void close(Admin admin) {
    if (admin != null) {
      quietly(() -> admin.close(CLOSE_TIMEOUT));
    }
  }

  /**
   * Closes {@code producer} (null: nothing) within {@link #CLOSE_TIMEOUT}; records it has not sent
   * by then fail. Callers flush (and wait for the acknowledgements) first.
   */
  public static void close(Producer<?, ?> producer) {
    if (producer != null) {
      quietly(() -> producer.close(CLOSE_TIMEOUT));
    }
  }

  /** Closes {@code consumer} (null: nothing) within {@link #CLOSE_TIMEOUT}. */
  public static void close(Consumer<?, ?> consumer) {
    if (consumer != null) {
      quietly(() -> consumer.close(CLOSE_TIMEOUT));
    }
  }

  private static void quietly(Runnable close) {
    try {
      close.run();
    } catch (KafkaException e) {
      // Kafka's InterruptException (a KafkaException) has set the interrupt flag again already.
    }
  }
}
