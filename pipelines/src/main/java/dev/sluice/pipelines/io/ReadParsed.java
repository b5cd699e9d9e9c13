package dev.sluice.pipelines.io;

import dev.sluice.transforms.quality.InvalidRecordException;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.quality.RecordParser;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads a source URI and parses every record, each good one at its own event time and each bad one
 * into the dead letters: the first two steps of every job.
 *
 * <pre>{@code
 * ParseOrDeadLetter.Result<AccessLog> logs =
 *     p.apply("ReadAccessLogs",
 *         ReadParsed.from("--input", options.getInput(), AccessLog::parse, AccessLog.Coder.of())
 *                   .withEventTime(AccessLog::timestamp));
 * }</pre>
 *
 * <p>A Kafka source needs a record's event time before it is parsed (for its watermark, and to tell
 * a late record): it gets it by running the same parser, so a job states its event time once.
 * {@link #withAllowedLateness} says how far behind the watermark a stream's record may be before it
 * is late (default 0): a late record goes to the dead letters as kind {@code late}, counted as
 * late, never silently dropped by a closed window.
 */
public final class ReadParsed<T> extends PTransform<PBegin, ParseOrDeadLetter.Result<T>> {
  private final String flag;
  private final String uri;
  private final RecordParser<T> parser;
  private final Coder<T> coder;
  private final SerializableFunction<T, Instant> eventTime;
  private final Duration allowedLateness;

  private ReadParsed(
      String flag,
      String uri,
      RecordParser<T> parser,
      Coder<T> coder,
      SerializableFunction<T, Instant> eventTime,
      Duration allowedLateness) {
    this.flag = flag;
    this.uri = uri;
    this.parser = parser;
    this.coder = coder;
    this.eventTime = eventTime;
    this.allowedLateness = allowedLateness;
  }

  /** Reads {@code uri} (from option {@code flag}) and parses it with {@code parser}. */
  public static <T> ReadParsed<T> from(
      String flag, String uri, RecordParser<T> parser, Coder<T> coder) {
    ReadRecords.from(flag, uri); // checks the URI's form now
    return new ReadParsed<>(flag, uri, parser, coder, null, Duration.ZERO);
  }

  /** The event time of a parsed record; required. */
  public ReadParsed<T> withEventTime(SerializableFunction<T, Instant> eventTime) {
    return new ReadParsed<>(flag, uri, parser, coder, eventTime, allowedLateness);
  }

  /** How far behind the watermark a stream's record may be and still count (the windows' own). */
  public ReadParsed<T> withAllowedLateness(Duration allowedLateness) {
    return new ReadParsed<>(flag, uri, parser, coder, eventTime, allowedLateness);
  }

  @Override
  public ParseOrDeadLetter.Result<T> expand(PBegin input) {
    if (eventTime == null) {
      throw new IllegalStateException(
          "ReadParsed needs withEventTime(...): jobs run on event time");
    }
    return input
        .apply(
            "ReadRecords",
            ReadRecords.from(flag, uri)
                .withEventTime(new RawEventTime<>(parser, eventTime))
                .withAllowedLateness(allowedLateness))
        .apply("Parse", ParseOrDeadLetter.with(parser, coder).withEventTime(eventTime));
  }

  /**
   * The event time of a raw record, by parsing it; null when it does not parse: a record the parser
   * refuses neither moves the watermark nor is ever late (its dead letter says what is wrong).
   */
  static final class RawEventTime<T> implements SerializableFunction<String, @Nullable Instant> {
    private final RecordParser<T> parser;
    private final SerializableFunction<T, Instant> eventTime;

    RawEventTime(RecordParser<T> parser, SerializableFunction<T, Instant> eventTime) {
      this.parser = parser;
      this.eventTime = eventTime;
    }

    @Override
    public @Nullable Instant apply(String raw) {
      try {
        return eventTime.apply(parser.parse(raw));
      } catch (InvalidRecordException e) {
        return null;
      }
    }
  }
}
