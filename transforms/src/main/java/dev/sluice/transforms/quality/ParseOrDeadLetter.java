package dev.sluice.transforms.quality;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Parses raw records with a {@link RecordParser}; every record that fails (an {@link
 * InvalidRecordException}, or any other exception the parser throws) goes to the dead-letter output
 * with its source, position, reason and, when known, event time, instead of failing the bundle.
 * Metrics in namespace {@code sluice.quality} count both sides: {@code parsed}, {@code
 * dead_letters}, and {@code dead_letters.<kind>} per kind of reason (a parser's unexpected
 * exception has kind {@code parser-error}). A record its source could not read as text ({@link
 * RawRecord#isUnreadable}: not UTF-8, oversize) goes to the dead letters with the source's kind and
 * reason, and the parser never sees it. So does a record a stream's source read behind the
 * watermark ({@link RawRecord#late}), with its event time; it is counted as {@code late}, not as a
 * dead letter: parsed + dead letters + late = records read.
 *
 * <pre>{@code
 * ParseOrDeadLetter.Result<TextEvent> events =
 *     lines.apply("Parse", ParseOrDeadLetter.with(TextEvent::parse, TextEvent.Coder.of())
 *                                           .withEventTime(TextEvent::timestamp));
 * events.parsed().apply(...);
 * events.deadLetters().apply(MapElements.into(strings()).via(DeadLetter::toJson)).apply(...);
 * }</pre>
 *
 * <p>With {@link #withEventTime}, each parsed value is emitted at the event time it carries, so
 * that windows downstream use the record's own time and never the wall clock.
 */
public final class ParseOrDeadLetter<T>
    extends PTransform<PCollection<RawRecord>, ParseOrDeadLetter.Result<T>> {
  static final String METRICS_NAMESPACE = "sluice.quality";

  /** The kind of a dead letter whose parser threw something other than InvalidRecordException. */
  public static final String PARSER_ERROR = "parser-error";

  private static final TupleTag<Object> PARSED = new TupleTag<>("parsed");
  private static final TupleTag<Object> DEAD_LETTERS = new TupleTag<>("deadLetters");

  private final RecordParser<T> parser;
  private final Coder<T> coder;
  private final @Nullable SerializableFunction<T, Instant> eventTime;

  private ParseOrDeadLetter(
      RecordParser<T> parser,
      Coder<T> coder,
      @Nullable SerializableFunction<T, Instant> eventTime) {
    this.parser = requireNonNull(parser, "parser");
    this.coder = requireNonNull(coder, "coder");
    this.eventTime = eventTime;
  }

  /** Parses with {@code parser}; parsed values are encoded with {@code coder}. */
  public static <T> ParseOrDeadLetter<T> with(RecordParser<T> parser, Coder<T> coder) {
    return new ParseOrDeadLetter<>(parser, coder, null);
  }

  /** Emits each parsed value at the event time {@code eventTime} reads from it. */
  public ParseOrDeadLetter<T> withEventTime(SerializableFunction<T, Instant> eventTime) {
    return new ParseOrDeadLetter<>(parser, coder, requireNonNull(eventTime, "eventTime"));
  }

  @Override
  public Result<T> expand(PCollection<RawRecord> input) {
    TupleTag<T> parsedTag = new TupleTag<T>() {};
    TupleTag<DeadLetter> deadTag = new TupleTag<DeadLetter>() {};
    PCollectionTuple outputs =
        input.apply(
            "Parse",
            ParDo.of(new ParseFn<>(parser, eventTime, parsedTag, deadTag))
                .withOutputTags(parsedTag, TupleTagList.of(deadTag)));
    return new Result<>(
        outputs.get(parsedTag).setCoder(coder),
        outputs.get(deadTag).setCoder(DeadLetter.Coder.of()));
  }

  /**
   * The parsed values and the dead letters.
   *
   * <pre>{@code
   * ParseOrDeadLetter.Result<Long> result = records.apply(ParseOrDeadLetter.with(parser, VarLongCoder.of()));
   * result.parsed();        // PCollection<Long>
   * result.deadLetters();   // PCollection<DeadLetter>
   * }</pre>
   */
  public static final class Result<T> implements POutput {
    private final PCollection<T> parsed;
    private final PCollection<DeadLetter> deadLetters;

    Result(PCollection<T> parsed, PCollection<DeadLetter> deadLetters) {
      this.parsed = parsed;
      this.deadLetters = deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return parsed.getPipeline();
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(PARSED, parsed, DEAD_LETTERS, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}

    public PCollection<T> parsed() {
      return parsed;
    }

    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }
  }

  static final class ParseFn<T> extends DoFn<RawRecord, T> {
    private final RecordParser<T> parser;
    private final @Nullable SerializableFunction<T, Instant> eventTime;
    private final TupleTag<T> parsedTag;
    private final TupleTag<DeadLetter> deadTag;
    private final Counter parsed = Metrics.counter(METRICS_NAMESPACE, "parsed");
    private final Counter dead = Metrics.counter(METRICS_NAMESPACE, "dead_letters");
    private final Counter late = Metrics.counter(METRICS_NAMESPACE, RawRecord.LATE);

    ParseFn(
        RecordParser<T> parser,
        @Nullable SerializableFunction<T, Instant> eventTime,
        TupleTag<T> parsedTag,
        TupleTag<DeadLetter> deadTag) {
      this.parser = parser;
      this.eventTime = eventTime;
      this.parsedTag = parsedTag;
      this.deadTag = deadTag;
    }

    @ProcessElement
    public void process(@Element RawRecord record, MultiOutputReceiver out) {
      if (RawRecord.LATE.equals(record.unreadableKind())) {
        late.inc();
        out.get(deadTag)
            .output(
                DeadLetter.of(record, RawRecord.LATE, record.unreadableReason())
                    .withEventTime(record.eventTimeMillis()));
        return;
      }
      if (record.isUnreadable()) {
        // Its payload is only a rendering (replaced bytes, a truncated head): never parse that.
        deadLetter(DeadLetter.of(record, record.unreadableKind(), record.unreadableReason()), out);
        return;
      }
      T value;
      try {
        value = parser.parse(record.payload());
      } catch (InvalidRecordException e) {
        deadLetter(
            DeadLetter.of(record, e.kind(), String.valueOf(e.getMessage()))
                .withEventTime(e.eventTimeMillis()),
            out);
        return;
      } catch (RuntimeException e) {
        // A parser bug must not take the job down or lose the record: keep it with the cause.
        deadLetter(DeadLetter.of(record, PARSER_ERROR, "parser failed: " + e), out);
        return;
      }
      parsed.inc();
      if (eventTime == null) {
        out.get(parsedTag).output(value);
      } else {
        out.get(parsedTag).outputWithTimestamp(value, eventTime.apply(value));
      }
    }

    private void deadLetter(DeadLetter letter, MultiOutputReceiver out) {
      dead.inc();
      Metrics.counter(METRICS_NAMESPACE, "dead_letters." + letter.kind()).inc();
      out.get(deadTag).output(letter);
    }
  }
}
