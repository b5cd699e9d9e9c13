package dev.sluice.runners.benchmarks.nativeflink;

import dev.sluice.pipelines.io.KafkaUri;
import dev.sluice.pipelines.io.WriteLines;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A native job's Kafka topics as a live stream, with Flink's own {@link KafkaSource} and {@link
 * KafkaSink}, named by the URIs {@code ./sluice run} takes: the input topic from where {@code
 * start=} says (earliest by default), the results to the output's topic {@code T}, alerts to {@code
 * T.alerts} and dead letters to {@code T.dead-letters}, as the Sluice jobs name them. Event time
 * comes from the parsed events; the watermark trails the largest timestamp by the input's {@code
 * out-of-order=} bound, and a reader without records for the input's {@code idle=} time stops
 * holding it back.
 */
final class NativeFlinkKafkaIo implements NativeFlinkIo {
  /** Sluice's name for the alerts beside an output ({@code WriteLines.besideOutput}). */
  private static final String ALERTS_SUFFIX = ".alerts";

  private final KafkaUri input;
  private final KafkaUri output;

  /**
   * @param input an unbounded read ({@code stop=} is refused by the caller)
   * @param output where the results go; alerts and dead letters go beside it
   */
  NativeFlinkKafkaIo(KafkaUri input, KafkaUri output) {
    this.input = input;
    this.output = output;
  }

  @Override
  public DataStream<String> readLines(StreamExecutionEnvironment env) {
    // No group id: Flink keeps no offsets without checkpoints, and a run reads from its start.
    KafkaSource<String> source =
        KafkaSource.<String>builder()
            .setBootstrapServers(input.bootstrapServers())
            .setProperties(properties(input.clientConfig()))
            .setTopics(input.topic())
            .setStartingOffsets(startingOffsets())
            .setValueOnlyDeserializer(new SimpleStringSchema())
            .build();
    // Timestamps and watermarks come from the parsed events (eventTime), not from the records.
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "ReadKafka");
  }

  private OffsetsInitializer startingOffsets() {
    return switch (input.startKind()) {
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
      case TIME -> OffsetsInitializer.timestamp(input.startTimeMillis());
    };
  }

  /**
   * Flink's bounded out-of-orderness watermark: a window {@code [s, e)} fires once an event at
   * {@code e + out-of-order} or later has been read, as on the Beam runners; idleness keeps a
   * reader without records (a quiet partition, or no partition at all) from stalling every window.
   */
  @Override
  public <T> WatermarkStrategy<T> eventTime(SerializableTimestampAssigner<T> eventTime) {
    return WatermarkStrategy.<T>forBoundedOutOfOrderness(
            Duration.ofMillis(input.maxOutOfOrderness().getMillis()))
        .withTimestampAssigner(eventTime)
        .withIdleness(Duration.ofMillis(input.idleAfter().getMillis()));
  }

  @Override
  public void writeLines(DataStream<String> lines, Output what) {
    String topic = topic(what);
    KafkaSink<String> sink =
        KafkaSink.<String>builder()
            .setBootstrapServers(output.bootstrapServers())
            .setKafkaProducerConfig(properties(output.clientConfig()))
            .setRecordSerializer(new LineWithoutTimestamp(topic))
            // Without checkpoints nothing could be exactly-once; at-least-once flushes on close.
            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
            .build();
    lines.sinkTo(sink).name("WriteKafka " + topic);
  }

  /** The topic of {@code what}, named as the Sluice jobs name it for the same {@code --output}. */
  String topic(Output what) {
    return switch (what) {
      case RESULTS -> output.topic();
      case ALERTS -> KafkaUri.parse("--output", output.withTopicSuffix(ALERTS_SUFFIX)).topic();
      case DEAD_LETTERS ->
          KafkaUri.parse("--output", WriteLines.deadLettersFor(output.text())).topic();
    };
  }

  private static Properties properties(Map<String, Object> config) {
    Properties properties = new Properties();
    config.forEach((name, value) -> properties.setProperty(name, String.valueOf(value)));
    return properties;
  }

  /**
   * A line as a record's value, without key or timestamp. Flink's own builder would stamp each
   * record with its element's timestamp (a window result's is the window's end − 1 ms), which would
   * hide the latency a stream benchmark measures; without one the producer stamps the send time (or
   * the broker its append time, for a topic with {@code LogAppendTime}).
   */
  static final class LineWithoutTimestamp implements KafkaRecordSerializationSchema<String> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    LineWithoutTimestamp(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        String line, KafkaSinkContext context, Long timestamp) {
      return new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8));
    }
  }
}
