package dev.sluice.pipelines.io;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest event time the partitions of a topic hold, as far as sampling the broker has read:
 * what an idle partition's watermark follows when the partitions that do have records are read by
 * another process (another TaskManager of a cluster), which {@link EventTimePolicy}'s per-process
 * maximum cannot know. Kafka itself is the state the readers share.
 *
 * <p>Each sample ({@link Scan}) reads, with a short-lived consumer and a bounded wait, the records
 * of every partition that arrived since the previous sample (at most {@link BrokerScan#TAIL} per
 * partition, the newest), and takes the event times the read's own rule gives them. The value is
 * therefore a lower bound of the largest event time the topic holds: a watermark derived from it is
 * never ahead of what the out-of-order bound allows for those records.
 *
 * <p>Like {@link ReadProgress}, it answers <b>as of a wall time</b>: {@link #applyAsLong} gives the
 * largest event time of the samples that had finished by then. An idle partition asks as of its own
 * last backlog check, so that a sample never makes it follow records of a burst whose share in its
 * own partition had landed but was not yet counted: every record a finished sample read was below
 * an end offset fetched before the sample finished, and a partition whose backlog was zero at a
 * later check has read all of its own up to there.
 *
 * <p>{@link #applyAsLong} never blocks and never talks to the broker itself: it answers from the
 * samples so far and, at most once per {@code every}, starts one sample in the background (never
 * two at a time). It is only asked while a partition is idle, so a busy read never samples.
 */
final class TopicProgress implements LongUnaryOperator {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProgress.class);

  /** One bounded read of the broker. */
  interface Scan {
    /**
     * The largest event time of the records from {@code from} (partition to the next offset to
     * read; a partition missing starts near its end) to the end of each partition, or {@link
     * Long#MIN_VALUE}; moves {@code from} past what it read.
     */
    long scan(Map<Integer, Long> from) throws Exception;
  }

  private final Scan scan;
  private final long everyNanos;
  private final LongSupplier nanoClock;
  private final LongSupplier millisClock;
  private final Executor executor;
  private final ReadProgress sampled = new ReadProgress();
  private final AtomicBoolean sampling = new AtomicBoolean();
  private final Map<Integer, Long> from = new HashMap<>();
  private volatile long nextSampleNanos;
  private volatile boolean failing;

  TopicProgress(
      Scan scan,
      Duration every,
      LongSupplier nanoClock,
      LongSupplier millisClock,
      Executor executor) {
    this.scan = scan;
    this.everyNanos = every.toNanos();
    this.nanoClock = nanoClock;
    this.millisClock = millisClock;
    this.executor = executor;
    this.nextSampleNanos = nanoClock.getAsLong();
  }

  /** Samples on a daemon thread of its own, so that a stuck broker never holds a reader. */
  static TopicProgress inBackground(Scan scan, Duration every, String topic) {
    return new TopicProgress(
        scan,
        every,
        System::nanoTime,
        System::currentTimeMillis,
        task -> {
          Thread thread = new Thread(task, "sluice-topic-progress-" + topic);
          thread.setDaemon(true);
          thread.start();
        });
  }

  /**
   * The largest event time of the samples finished at or before wall time {@code byMillis}, or
   * {@link Long#MIN_VALUE}; starts a sample if one is due.
   */
  @Override
  public long applyAsLong(long byMillis) {
    long now = nanoClock.getAsLong();
    if (now - nextSampleNanos >= 0 && sampling.compareAndSet(false, true)) {
      nextSampleNanos = now + everyNanos;
      try {
        executor.execute(this::sample);
      } catch (RuntimeException e) {
        sampling.set(false);
        throw e;
      }
    }
    return sampled.largestReadBy(byMillis);
  }

  private void sample() {
    try {
      long found;
      synchronized (from) {
        found = scan.scan(from);
      }
      // Finished now: what it read was below end offsets fetched before this moment.
      sampled.read(found, millisClock.getAsLong());
      failing = false;
    } catch (Exception e) {
      // Kept as it was; the next sample tries again. Said once, not on every idle interval.
      if (!failing) {
        LOG.warn("could not sample the topic's progress for idle partitions: {}", e.toString());
      }
      failing = true;
    } finally {
      sampling.set(false);
    }
  }

  /**
   * The {@link Scan} of a topic named by a {@link KafkaUri}, with the client settings of the read
   * (security included) and the read's event-time rule ({@link EventTimePolicy#progressMillis}).
   */
  static final class BrokerScan implements Scan, Serializable {
    private static final long serialVersionUID = 1L;

    /** The most records a sample reads of one partition: the newest ones. */
    static final long TAIL = 1_000;

    /** How long a sample may take in all, its consumer's close included. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaUri uri;
    private final SerializableFunction<String, @Nullable Instant> eventTime;

    BrokerScan(KafkaUri uri, SerializableFunction<String, @Nullable Instant> eventTime) {
      this.uri = uri;
      this.eventTime = eventTime;
    }

    @Override
    public long scan(Map<Integer, Long> from) {
      Map<String, Object> config = uri.clientConfig();
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-topic-progress");
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, (int) TAIL);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      try {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(uri.topic(), TIMEOUT.dividedBy(2))) {
          partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT.dividedBy(4));
        Map<TopicPartition, Long> starts =
            consumer.beginningOffsets(partitions, TIMEOUT.dividedBy(4));
        List<TopicPartition> toRead = new ArrayList<>();
        for (TopicPartition tp : partitions) {
          long end = ends.get(tp);
          long start =
              Math.max(
                  starts.get(tp),
                  Math.max(from.getOrDefault(tp.partition(), Long.MIN_VALUE), end - TAIL));
          if (start < end) {
            toRead.add(tp);
          }
          from.put(tp.partition(), start);
        }
        long max = Long.MIN_VALUE;
        consumer.assign(toRead);
        for (TopicPartition tp : toRead) {
          consumer.seek(tp, from.get(tp.partition()));
        }
        while (!toRead.isEmpty() && System.nanoTime() - deadline < 0) {
          for (ConsumerRecord<byte[], byte[]> record :
              consumer.poll(java.time.Duration.ofMillis(200))) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (record.offset() >= ends.get(tp)) {
              continue;
            }
            Long millis =
                EventTimePolicy.progressMillis(eventTime, record.value(), record.timestamp());
            if (millis != null) {
              max = Math.max(max, millis);
            }
            from.put(tp.partition(), record.offset() + 1);
          }
          toRead.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
        }
        return max;
      } finally {
        KafkaClients.close(consumer);
      }
    }
  }
}
