package dev.sluice.pipelines.ledger;

import dev.sluice.pipelines.io.ReadParsed;
import dev.sluice.pipelines.io.WriteDeadLetters;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.window.DurationSpec;
import java.io.Serializable;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.SortedMapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * The ledger's projection ({@code ./sluice run ledger-projection}): the event log folded into the
 * read model in PostgreSQL ({@link ReadModel}), as a stream (a live topic) or as a batch replay
 * (the log's files, or the topic up to now) with the same table at the end.
 *
 * <pre>
 * read events (file: or kafka://) → parse (bad → dead letters)
 *   → per account, the highest version seen (every 5 s in a stream) → upsert ledger_balance
 *   → per account and event-time hour: money in/out, events, closing balance (accumulating panes,
 *     late events up to --historyLateness) → upsert ledger_balance_hourly
 * </pre>
 *
 * <p>In a stream, an event read further behind the watermark than {@code --historyLateness} is a
 * dead letter of kind {@code late} (counted as late), in neither table.
 *
 * <p>Events carry their account's version and balance after them, so the projection keeps no state
 * of its own: each row is replaced only by a higher version. {@code --output} is the database
 * ({@code jdbc:postgresql://HOST:PORT/DB?user=NAME}); {@code --deadLetters} must be given, as a
 * database has no "beside".
 */
public final class LedgerProjection {
  private LedgerProjection() {}

  /** How often a stream's balances are written: the latest version per account since the last. */
  static final Duration BALANCE_EVERY = Duration.standardSeconds(5);

  /** Options of {@code ./sluice run ledger-projection}: the event log in, PostgreSQL out. */
  public interface Options extends JobOptions {
    @Description(
        "How long after an hour ends its late events still update the hour's history row"
            + " (accumulating panes), e.g. 1h; 0 drops them. Not on --runner=spark in streaming")
    @Default.String("1h")
    String getHistoryLateness();

    void setHistoryLateness(String value);
  }

  /** Checks every option and creates the tables if missing; nothing runs until run. */
  public static Pipeline build(Options options) {
    String url = options.getOutput();
    ReadModel.checkUrl("--output", url);
    if (options.getDeadLetters().isEmpty()) {
      throw new IllegalArgumentException(
          "--deadLetters: required when --output is a database; give a file: prefix or a"
              + " kafka:// topic for unreadable events");
    }
    Duration lateness = historyLateness(options.getHistoryLateness());
    // Unused here (the results go to a database), but a negative count is still a mistake.
    JobOptions.checkNumShards(options);
    ReadParsed<LedgerEvent> read =
        ReadParsed.from("--input", options.getInput(), LedgerEvent::parse, LedgerEvent.Coder.of())
            .withEventTime(LedgerEvent::timestamp)
            .withAllowedLateness(lateness);
    WriteDeadLetters writeDeadLetters =
        WriteDeadLetters.to("--deadLetters", options.getDeadLetters());
    JdbcIO.DataSourceConfiguration database =
        JdbcIO.DataSourceConfiguration.create("org.postgresql.Driver", url);

    Pipeline pipeline = Pipeline.create(options);
    ParseOrDeadLetter.Result<LedgerEvent> events = pipeline.apply("ReadEventLog", read);
    events
        .parsed()
        .apply("LatestBalances", new LatestBalances())
        .apply(
            "UpsertBalances",
            JdbcIO.<BalanceRow>write()
                .withDataSourceConfiguration(database)
                .withStatement(ReadModel.UPSERT_BALANCE)
                .withPreparedStatementSetter(LedgerProjection::setBalance));
    events
        .parsed()
        .apply("HourlyHistory", new HourlyHistory(lateness))
        .apply(
            "UpsertHourly",
            JdbcIO.<HourlyRow>write()
                .withDataSourceConfiguration(database)
                .withStatement(ReadModel.UPSERT_HOURLY)
                .withPreparedStatementSetter(LedgerProjection::setHourly));
    events.deadLetters().apply("WriteDeadLetters", writeDeadLetters);
    // Last: every other flag (the input files match too) is checked before the database is used.
    ReadModel.createTables("--output", url);
    return pipeline;
  }

  /** {@code --historyLateness}: 0 (in any unit) or a duration. */
  static Duration historyLateness(String text) {
    try {
      return DurationSpec.parseOrZero("--historyLateness", text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", or 0 to drop late events", e);
    }
  }

  /**
   * Runs the job with Beam's own flag parsing, as any Beam pipeline's {@code main}. {@code ./sluice
   * run ledger-projection} runs the same pipeline with checks before launch, progress and counts.
   */
  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    build(options).run().waitUntilFinish();
  }

  /** A row of {@code ledger_balance}. */
  public record BalanceRow(String account, long balanceCents, long version, long updatedAtMillis)
      implements Serializable {}

  /** A row of {@code ledger_balance_hourly}. */
  public record HourlyRow(
      String account,
      long hourStartMillis,
      long closingBalanceCents,
      long version,
      long moneyInCents,
      long moneyOutCents,
      long events)
      implements Serializable {}

  private static void setBalance(BalanceRow row, PreparedStatement s) throws Exception {
    s.setString(1, row.account());
    s.setLong(2, row.balanceCents());
    s.setLong(3, row.version());
    s.setObject(4, utc(row.updatedAtMillis()));
  }

  private static void setHourly(HourlyRow row, PreparedStatement s) throws Exception {
    s.setString(1, row.account());
    s.setObject(2, utc(row.hourStartMillis()));
    s.setLong(3, row.closingBalanceCents());
    s.setLong(4, row.version());
    s.setLong(5, row.moneyInCents());
    s.setLong(6, row.moneyOutCents());
    s.setLong(7, row.events());
  }

  private static OffsetDateTime utc(long millis) {
    return OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  /**
   * Events in; per account, the event of the highest version seen (per pane: every {@link
   * #BALANCE_EVERY} of processing time in a stream, once in a batch) as a balance row.
   */
  public static final class LatestBalances
      extends PTransform<PCollection<LedgerEvent>, PCollection<BalanceRow>> {
    @Override
    public PCollection<BalanceRow> expand(PCollection<LedgerEvent> events) {
      return byAccount(events)
          .apply(
              "EveryFewSeconds",
              Window.<KV<String, LedgerEvent>>into(new GlobalWindows())
                  .triggering(
                      Repeatedly.forever(
                          AfterProcessingTime.pastFirstElementInPane().plusDelayOf(BALANCE_EVERY)))
                  .withAllowedLateness(Duration.ZERO)
                  .discardingFiredPanes())
          .apply("HighestVersion", Max.perKey(new ByVersion()))
          .apply(
              "ToRows",
              MapElements.into(TypeDescriptor.of(BalanceRow.class))
                  .via(
                      kv ->
                          new BalanceRow(
                              kv.getKey(),
                              kv.getValue().balanceCents(),
                              kv.getValue().version(),
                              kv.getValue().timestampMillis())))
          .setCoder(SerializableCoder.of(BalanceRow.class));
    }
  }

  /** Events keyed by their account. */
  private static PCollection<KV<String, LedgerEvent>> byAccount(PCollection<LedgerEvent> events) {
    return events
        .apply("ByAccount", WithKeys.of(LedgerEvent::account))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), LedgerEvent.Coder.of()));
  }

  /** Orders an account's events by version: the highest is its latest state. */
  static final class ByVersion implements Comparator<LedgerEvent>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(LedgerEvent a, LedgerEvent b) {
      return Long.compare(a.version(), b.version());
    }
  }

  /** Events in; per account and event-time hour, one history row per pane (accumulating). */
  public static final class HourlyHistory
      extends PTransform<PCollection<LedgerEvent>, PCollection<HourlyRow>> {
    private final Duration lateness;

    HourlyHistory(Duration lateness) {
      this.lateness = lateness;
    }

    @Override
    public PCollection<HourlyRow> expand(PCollection<LedgerEvent> events) {
      return byAccount(events)
          .apply(
              "Hours",
              Window.<KV<String, LedgerEvent>>into(FixedWindows.of(Duration.standardHours(1)))
                  .withAllowedLateness(lateness)
                  .accumulatingFiredPanes())
          .apply("SummarizeHour", Combine.perKey(new HourFn()))
          .apply("ToRows", ParDo.of(new ToHourlyRowFn()))
          .setCoder(SerializableCoder.of(HourlyRow.class));
    }
  }

  /** An account's hour: money in and out, events, and the balance at its last version. */
  record Hour(long events, long in, long out, long version, long balance) implements Serializable {
    /** An hour without events: no history row. */
    static final Hour EMPTY = new Hour(0, 0, 0, 0, 0);
  }

  /**
   * Folds an account's events of one hour into an {@link Hour}. The accumulator holds the events by
   * version (unique per account), so an event received twice counts once.
   */
  static final class HourFn
      extends Combine.CombineFn<LedgerEvent, SortedMap<Long, LedgerEvent>, Hour> {
    @Override
    public SortedMap<Long, LedgerEvent> createAccumulator() {
      return new TreeMap<>();
    }

    @Override
    public SortedMap<Long, LedgerEvent> addInput(
        SortedMap<Long, LedgerEvent> hour, LedgerEvent event) {
      hour.put(event.version(), event);
      return hour;
    }

    @Override
    public SortedMap<Long, LedgerEvent> mergeAccumulators(
        Iterable<SortedMap<Long, LedgerEvent>> hours) {
      SortedMap<Long, LedgerEvent> merged = new TreeMap<>();
      hours.forEach(merged::putAll);
      return merged;
    }

    /**
     * The hour's summary; {@link Hour#EMPTY} for no events, which a runner may ask for (Flink reads
     * the combining state of a pane that has none) and which writes no row.
     */
    @Override
    public Hour extractOutput(SortedMap<Long, LedgerEvent> hour) {
      if (hour.isEmpty()) {
        return Hour.EMPTY;
      }
      long in = 0;
      long out = 0;
      for (LedgerEvent e : hour.values()) {
        in += Math.max(e.deltaCents(), 0);
        out += Math.max(-e.deltaCents(), 0);
      }
      LedgerEvent last = hour.get(hour.lastKey());
      return new Hour(hour.size(), in, out, last.version(), last.balanceCents());
    }

    @Override
    public Coder<SortedMap<Long, LedgerEvent>> getAccumulatorCoder(
        CoderRegistry registry, Coder<LedgerEvent> inputCoder) {
      return SortedMapCoder.of(VarLongCoder.of(), LedgerEvent.Coder.of());
    }

    @Override
    public Coder<Hour> getDefaultOutputCoder(
        CoderRegistry registry, Coder<LedgerEvent> inputCoder) {
      return SerializableCoder.of(Hour.class);
    }
  }

  /** An {@link Hour} of an account in its window as a history row; an empty one as none. */
  static final class ToHourlyRowFn extends DoFn<KV<String, Hour>, HourlyRow> {
    @ProcessElement
    public void process(
        @Element KV<String, Hour> hour, IntervalWindow window, OutputReceiver<HourlyRow> out) {
      Hour h = hour.getValue();
      if (h.events() == 0) {
        return;
      }
      out.output(
          new HourlyRow(
              hour.getKey(),
              window.start().getMillis(),
              h.balance(),
              h.version(),
              h.in(),
              h.out(),
              h.events()));
    }
  }
}
