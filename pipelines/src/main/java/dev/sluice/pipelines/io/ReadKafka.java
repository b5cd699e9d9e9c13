package dev.sluice.pipelines.io;

import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.transforms.quality.RawRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Reads a Kafka topic named by a {@link KafkaUri} as {@link RawRecord}s whose source is the topic
 * and whose position is {@code partition@offset}, each at its event time.
 *
 * <ul>
 *   <li><b>Bounded</b> (the URI has {@code stop=}): the offset range of every partition is fixed at
 *       launch (start and stop resolved against the broker), cut into pieces of at most {@value
 *       #PIECE} offsets that are read in parallel, each exactly once. This is a batch backfill.
 *   <li><b>Unbounded</b> (no {@code stop=}): KafkaIO's reader with {@link EventTimePolicy}
 *       watermarks; with {@code group=}, offsets are committed to the group when the runner
 *       finalizes a checkpoint, so a restarted job continues where it stopped. A record read more
 *       than {@link #withAllowedLateness the allowed lateness} behind its partition's watermark is
 *       delivered as a {@link RawRecord#late late} record (for the dead letters), at that
 *       watermark, so that no closed window drops it silently.
 * </ul>
 *
 * <p>Before launch (in {@link #expand}) the broker and the topic are checked, with bounded waits
 * and errors that name the option. A record's value is read as bytes and decoded strictly ({@link
 * RecordBytes}): a value that is not UTF-8 or longer than {@code maxRecordBytes} becomes an
 * unreadable record for the dead letters ({@code not-utf8}, {@code oversize}) at the Kafka record's
 * timestamp, never a silently altered one.
 */
public final class ReadKafka extends PTransform<PBegin, PCollection<RawRecord>> {
  /** Largest piece of a partition one worker reads in one go in a bounded read. */
  static final long PIECE = 100_000;

  /** How long a bounded read waits for the next record of its range before it fails. */
  static final Duration STALL_TIMEOUT = Duration.ofMinutes(2);

  private final String flag;
  private final KafkaUri uri;
  private final SerializableFunction<String, @Nullable Instant> eventTime;
  private final int maxRecordBytes;
  private final org.joda.time.Duration allowedLateness;

  private ReadKafka(
      String flag,
      KafkaUri uri,
      SerializableFunction<String, @Nullable Instant> eventTime,
      int maxRecordBytes,
      org.joda.time.Duration allowedLateness) {
    this.flag = flag;
    this.uri = uri;
    this.eventTime = eventTime;
    this.maxRecordBytes = JobOptions.checkMaxRecordBytes(maxRecordBytes);
    this.allowedLateness = allowedLateness;
  }

  /** Reads {@code uri}, which came from option {@code flag} (named in errors). */
  public static ReadKafka from(String flag, String uri) {
    return new ReadKafka(
        flag,
        KafkaUri.parse(flag, uri),
        EventTimePolicy.RECORD_TIMESTAMP,
        JobOptions.DEFAULT_MAX_RECORD_BYTES,
        org.joda.time.Duration.ZERO);
  }

  /** Values longer than {@code bytes} are dead letters of kind {@code oversize}. */
  public ReadKafka withMaxRecordBytes(int bytes) {
    return new ReadKafka(flag, uri, eventTime, bytes, allowedLateness);
  }

  /**
   * How far behind its partition's watermark a record of a stream may be read and still count
   * (default 0); one further behind is a {@link RawRecord#late late} record.
   */
  public ReadKafka withAllowedLateness(org.joda.time.Duration allowedLateness) {
    return new ReadKafka(flag, uri, eventTime, maxRecordBytes, allowedLateness);
  }

  /**
   * Reads each record's event time from its value; when this gives {@code null} or throws, the
   * Kafka record's timestamp is used. Without it, always the Kafka record's timestamp.
   */
  public ReadKafka withEventTime(SerializableFunction<String, @Nullable Instant> eventTime) {
    return new ReadKafka(flag, uri, eventTime, maxRecordBytes, allowedLateness);
  }

  public KafkaUri uri() {
    return uri;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    if (uri.isBounded()) {
      List<PartitionRange> pieces =
          KafkaTopics.boundedRanges(flag, uri).stream()
              .flatMap(range -> range.split(PIECE).stream())
              .collect(Collectors.toList());
      return input
          .apply("OffsetRanges", Create.of(pieces).withCoder(PartitionRange.Coder.of()))
          .apply("SpreadRanges", Reshuffle.viaRandomKey())
          .apply("ReadRanges", ParDo.of(new ReadRangeFn(uri, eventTime, maxRecordBytes)));
    }
    KafkaTopics.partitions(flag, uri);
    Map<String, Object> config = new HashMap<>(uri.clientProperties());
    config.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        uri.startKind() == KafkaUri.StartKind.LATEST ? "latest" : "earliest");
    if (uri.group() != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, uri.group());
    }
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(uri.bootstrapServers())
            .withTopic(uri.topic())
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(config)
            .withConsumerFactoryFn(new ConsumerWithFileProperties(uri))
            .withTimestampPolicyFactory(
                EventTimePolicy.factory(
                    eventTime,
                    uri.maxOutOfOrderness(),
                    uri.idleAfter(),
                    allowedLateness,
                    new TopicProgress.BrokerScan(uri, eventTime),
                    uri.topic()));
    if (uri.group() != null) {
      read = read.commitOffsetsInFinalize();
    }
    if (uri.startKind() == KafkaUri.StartKind.TIME) {
      read = read.withStartReadTime(new Instant(uri.startTimeMillis()));
    }
    return input
        .apply("ReadFromKafka", read)
        .apply("ToRawRecords", ParDo.of(new ToRawRecordFn(eventTime, maxRecordBytes)));
  }

  /** A Kafka consumer with the {@code config=} file's properties added where it is created. */
  static final class ConsumerWithFileProperties
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private final KafkaUri uri;

    ConsumerWithFileProperties(KafkaUri uri) {
      this.uri = uri;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      Map<String, Object> merged = new HashMap<>(config);
      merged.putAll(uri.fileProperties());
      return new KafkaConsumer<>(merged, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
  }

  /**
   * A Kafka record as a {@link RawRecord} at {@code partition@offset}; one {@link EventTimePolicy}
   * stamped later than its own time ({@link EventTimePolicy#isLate}) as a {@link RawRecord#late
   * late} record, with that time and the watermark it missed.
   */
  static final class ToRawRecordFn extends DoFn<KafkaRecord<byte[], byte[]>, RawRecord> {
    private final SerializableFunction<String, @Nullable Instant> eventTime;
    private final int maxRecordBytes;
    private transient RecordBytes recordBytes;

    ToRawRecordFn(SerializableFunction<String, @Nullable Instant> eventTime, int maxRecordBytes) {
      this.eventTime = eventTime;
      this.maxRecordBytes = maxRecordBytes;
    }

    @Setup
    public void setup() {
      recordBytes = new RecordBytes(maxRecordBytes);
    }

    @ProcessElement
    public void process(
        @Element KafkaRecord<byte[], byte[]> record,
        @Timestamp Instant stamped,
        OutputReceiver<RawRecord> out) {
      byte[] value = record.getKV().getValue() == null ? new byte[0] : record.getKV().getValue();
      String position = record.getPartition() + "@" + record.getOffset();
      RawRecord raw =
          recordBytes.toRecord(record.getTopic(), position, value, value.length, value.length);
      if (!raw.isUnreadable()) {
        Long time = EventTimePolicy.progressMillis(eventTime, value, record.getTimestamp());
        if (EventTimePolicy.isLate(time, stamped)) {
          raw =
              RawRecord.late(
                  record.getTopic(), position, raw.payload(), new Instant(time), stamped);
        }
      }
      out.output(raw);
    }
  }

  /** Reads one offset range of one partition, each record once, at its event time. */
  static final class ReadRangeFn extends DoFn<PartitionRange, RawRecord> {
    private final KafkaUri uri;
    private final SerializableFunction<String, @Nullable Instant> eventTime;
    private final int maxRecordBytes;
    private final Counter read = Metrics.counter("sluice.kafka", "records_read");
    private transient RecordBytes recordBytes;

    ReadRangeFn(
        KafkaUri uri,
        SerializableFunction<String, @Nullable Instant> eventTime,
        int maxRecordBytes) {
      this.uri = uri;
      this.eventTime = eventTime;
      this.maxRecordBytes = maxRecordBytes;
    }

    @Setup
    public void setup() {
      recordBytes = new RecordBytes(maxRecordBytes);
    }

    @ProcessElement
    public void process(@Element PartitionRange range, OutputReceiver<RawRecord> out) {
      if (range.size() == 0) {
        return;
      }
      TopicPartition tp = new TopicPartition(range.topic(), range.partition());
      Map<String, Object> config = uri.clientConfig();
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
      KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      try {
        consumer.assign(List.of(tp));
        consumer.seek(tp, range.from());
        long lastProgress = System.nanoTime();
        while (consumer.position(tp) < range.to()) {
          List<ConsumerRecord<byte[], byte[]>> records =
              consumer.poll(java.time.Duration.ofMillis(500)).records(tp);
          if (records.isEmpty()) {
            if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
              throw new IllegalStateException(
                  String.format(
                      "reading %s from %s: no record for %d s at offset %d; is the broker up,"
                          + " and are the records still there (retention)?",
                      range,
                      uri.bootstrapServers(),
                      STALL_TIMEOUT.toSeconds(),
                      consumer.position(tp)));
            }
            continue;
          }
          lastProgress = System.nanoTime();
          for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.offset() >= range.to()) {
              break;
            }
            byte[] value = record.value() == null ? new byte[0] : record.value();
            RawRecord raw =
                recordBytes.toRecord(
                    range.topic(),
                    range.partition() + "@" + record.offset(),
                    value,
                    value.length,
                    value.length);
            read.inc();
            // An unreadable record's text is only a rendering: it goes at the broker's time.
            out.outputWithTimestamp(
                raw,
                EventTimePolicy.timeOf(
                    eventTime, raw.isUnreadable() ? null : raw.payload(), record.timestamp()));
          }
        }
      } finally {
        KafkaClients.close(consumer);
      }
    }
  }
}
