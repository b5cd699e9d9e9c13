package dev.sluice.pipelines.io;

import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.transforms.quality.RawRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads the records a source URI names, whatever it is: {@code file:} paths and globs ({@link
 * ReadLines}) or {@code kafka://host:port/topic?...} ({@link ReadKafka}). A job reads through this
 * and never names a source in code.
 *
 * <pre>{@code
 * p.apply("Read", ReadRecords.from("--input", options.getInput()).withEventTime(MyEvent::timeOf));
 * }</pre>
 *
 * <p>The event-time function lets a Kafka read keep its watermark on the records' own time; file
 * reads are bounded and leave event time to the parse step. A record longer than {@code
 * --maxRecordBytes} (of the pipeline's {@link JobOptions}, unless {@link #withMaxRecordBytes} says)
 * or not UTF-8 is read as an unreadable record, for the dead letters.
 */
public final class ReadRecords extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String flag;
  private final String uri;
  private final SerializableFunction<String, @Nullable Instant> eventTime;
  private final @Nullable Integer maxRecordBytes;
  private final Duration allowedLateness;

  private ReadRecords(
      String flag,
      String uri,
      SerializableFunction<String, @Nullable Instant> eventTime,
      @Nullable Integer maxRecordBytes,
      Duration allowedLateness) {
    this.flag = flag;
    this.uri = uri;
    this.eventTime = eventTime;
    this.maxRecordBytes =
        maxRecordBytes == null ? null : JobOptions.checkMaxRecordBytes(maxRecordBytes);
    this.allowedLateness = allowedLateness;
  }

  /**
   * Reads {@code uri}, which came from option {@code flag}; the URI is checked now (syntax) and
   * when the pipeline is built (files match, the broker answers, the topic exists).
   */
  public static ReadRecords from(String flag, String uri) {
    FileUris.checkFileOrKafka(flag, uri);
    if (KafkaUri.isKafka(uri)) {
      KafkaUri.parse(flag, uri).forReading(flag);
    } else {
      ReadLines.from(flag, uri);
    }
    return new ReadRecords(flag, uri, EventTimePolicy.RECORD_TIMESTAMP, null, Duration.ZERO);
  }

  /** How to read a record's event time from its text, for sources that need it (Kafka). */
  public ReadRecords withEventTime(SerializableFunction<String, @Nullable Instant> eventTime) {
    return new ReadRecords(flag, uri, eventTime, maxRecordBytes, allowedLateness);
  }

  /**
   * How far behind its partition's watermark a stream's record may be and still count; a record
   * further behind is read as a {@link RawRecord#late late} one, for the dead letters (default 0).
   */
  public ReadRecords withAllowedLateness(Duration allowedLateness) {
    return new ReadRecords(flag, uri, eventTime, maxRecordBytes, allowedLateness);
  }

  /** Records longer than {@code bytes} are dead letters ({@code oversize}); else the option's. */
  public ReadRecords withMaxRecordBytes(int bytes) {
    return new ReadRecords(flag, uri, eventTime, bytes, allowedLateness);
  }

  /** Whether the source ends: files and Kafka reads with {@code stop=} do. */
  public boolean isBounded() {
    return !KafkaUri.isKafka(uri) || KafkaUri.parse(flag, uri).isBounded();
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    int limit =
        maxRecordBytes != null
            ? maxRecordBytes
            : JobOptions.checkMaxRecordBytes(
                input.getPipeline().getOptions().as(JobOptions.class).getMaxRecordBytes());
    if (KafkaUri.isKafka(uri)) {
      return input.apply(
          "ReadKafka",
          ReadKafka.from(flag, uri)
              .withEventTime(eventTime)
              .withMaxRecordBytes(limit)
              .withAllowedLateness(allowedLateness));
    }
    FileUris.requireMatch(flag, uri);
    return input.apply("ReadFiles", ReadLines.from(flag, uri).withMaxRecordBytes(limit));
  }
}
