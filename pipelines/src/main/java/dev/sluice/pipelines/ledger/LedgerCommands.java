package dev.sluice.pipelines.ledger;

import dev.sluice.pipelines.io.ReadParsed;
import dev.sluice.pipelines.io.WriteDeadLetters;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.transforms.quality.DeadLetter;
import dev.sluice.transforms.quality.InvalidRecordException;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.quality.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.SetState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The ledger's command side ({@code ./sluice run ledger-commands}): commands in, the event log out.
 * Each command is checked against the ledger's current state ({@link Ledger}'s rules); an accepted
 * one is appended to the event log ({@code --output}, keyed by account on Kafka, so each account's
 * events stay in order), a refused one goes to {@code --rejects} with its reason, an unreadable
 * line to the dead letters.
 *
 * <pre>
 * read commands → parse (bad → dead letters) → one ledger, in event-time order:
 *   stateful decide (accounts, seen command ids) → events → event log
 *                                                → rejections → rejects
 * </pre>
 *
 * <p>All commands go through one key: a ledger applies one command at a time, as a transfer reads
 * and changes two accounts. They are applied in event-time order
 * ({@code @RequiresTimeSortedInput}), the order {@link LedgerModel} uses; commands with equal times
 * come in no defined order, so producers give each command its own time.
 *
 * <p>In a stream, a command read behind the watermark (a {@code late} record of the read) cannot be
 * applied in its place: later commands already were. It is never dropped: it goes to the rejects
 * with kind {@value Rejection#LATE} and the reason, and the run counts it as late.
 */
public final class LedgerCommands {
  private LedgerCommands() {}

  static final TupleTag<LedgerEvent> EVENTS = new TupleTag<>() {};
  static final TupleTag<Rejection> REJECTED = new TupleTag<>() {};
  static final TupleTag<DeadLetter> DEAD = new TupleTag<>() {};

  /** Options of {@code ./sluice run ledger-commands}: commands in, the event log out. */
  public interface Options extends JobOptions {
    @Description(
        "Where refused commands go, as JSON lines with the reason (a file: prefix or kafka://"
            + " topic); empty means <output>.rejects")
    @Default.String("")
    String getRejects();

    void setRejects(String value);
  }

  /** Builds the pipeline, checking every option first; nothing runs until the caller runs it. */
  public static Pipeline build(Options options) {
    JobOptions.checkNumShards(options);
    String rejects =
        options.getRejects().isEmpty()
            ? WriteLines.besideOutput(options, "rejects")
            : options.getRejects();
    ReadParsed<LedgerCommand> read =
        ReadParsed.from(
                "--input", options.getInput(), LedgerCommand::parse, LedgerCommand.Coder.of())
            .withEventTime(LedgerCommand::timestamp);
    WriteLines appendToLog =
        WriteLines.to("--output", options.getOutput())
            .withNumShards(options.getNumShards())
            .withDefaultKeyFields("account");
    WriteLines writeRejects = WriteLines.to("--rejects", rejects).withNumShards(1);
    WriteDeadLetters writeDeadLetters =
        WriteDeadLetters.to("--deadLetters", WriteLines.deadLettersOf(options));

    Pipeline pipeline = Pipeline.create(options);
    ParseOrDeadLetter.Result<LedgerCommand> commands = pipeline.apply("ReadCommands", read);
    PCollectionTuple decided = commands.parsed().apply("ApplyCommands", new ApplyCommands());
    decided
        .get(EVENTS)
        .apply("EventLines", MapElements.into(TypeDescriptors.strings()).via(LedgerEvent::toJson))
        .apply("AppendToEventLog", appendToLog);
    PCollectionTuple lateOrDead =
        commands
            .deadLetters()
            .apply(
                "RejectLateCommands",
                ParDo.of(new RejectLateFn()).withOutputTags(DEAD, TupleTagList.of(REJECTED)));
    PCollectionList.of(decided.get(REJECTED))
        .and(lateOrDead.get(REJECTED).setCoder(Rejection.Coder.of()))
        .apply("AllRejections", Flatten.pCollections())
        .apply("RejectionLines", MapElements.into(TypeDescriptors.strings()).via(Rejection::toJson))
        .apply("WriteRejects", writeRejects);
    lateOrDead
        .get(DEAD)
        .setCoder(DeadLetter.Coder.of())
        .apply("WriteDeadLetters", writeDeadLetters);
    return pipeline;
  }

  /**
   * Runs the job with Beam's own flag parsing, as any Beam pipeline's {@code main}. {@code ./sluice
   * run ledger-commands} runs the same pipeline with checks before launch, progress and counts.
   */
  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    build(options).run().waitUntilFinish();
  }

  /**
   * A late command ({@link RawRecord#LATE}) as a rejection of kind {@value Rejection#LATE}; every
   * other dead letter as it is.
   */
  static final class RejectLateFn extends DoFn<DeadLetter, DeadLetter> {
    @ProcessElement
    public void process(@Element DeadLetter letter, MultiOutputReceiver out) {
      if (letter.kind().equals(RawRecord.LATE)) {
        try {
          LedgerCommand command = LedgerCommand.parse(letter.record().payload());
          out.get(REJECTED)
              .output(
                  new Rejection(
                      command,
                      Rejection.LATE,
                      "applied in event-time order, and later commands were already: "
                          + letter.reason()));
          return;
        } catch (InvalidRecordException e) {
          // Not a command after all: it stays a dead letter.
        }
      }
      out.get(DEAD).output(letter);
    }
  }

  /** Commands in; accepted events ({@link #EVENTS}) and rejections ({@link #REJECTED}) out. */
  public static final class ApplyCommands
      extends PTransform<PCollection<LedgerCommand>, PCollectionTuple> {
    @Override
    public PCollectionTuple expand(PCollection<LedgerCommand> commands) {
      PCollectionTuple out =
          commands
              .apply("OneLedger", WithKeys.of("ledger"))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), LedgerCommand.Coder.of()))
              .apply(
                  "Decide",
                  ParDo.of(new DecideFn()).withOutputTags(EVENTS, TupleTagList.of(REJECTED)));
      out.get(EVENTS).setCoder(LedgerEvent.Coder.of());
      out.get(REJECTED).setCoder(Rejection.Coder.of());
      return out;
    }
  }

  /** Applies each command to the ledger kept in Beam state, in event-time order. */
  static final class DecideFn extends DoFn<KV<String, LedgerCommand>, LedgerEvent> {
    @StateId("accounts")
    private final StateSpec<MapState<String, Ledger.Account>> accountsSpec =
        StateSpecs.map(StringUtf8Coder.of(), AccountCoder.INSTANCE);

    @StateId("seen")
    private final StateSpec<SetState<String>> seenSpec = StateSpecs.set(StringUtf8Coder.of());

    @RequiresTimeSortedInput
    @ProcessElement
    public void process(
        @Element KV<String, LedgerCommand> command,
        @StateId("accounts") MapState<String, Ledger.Account> accounts,
        @StateId("seen") SetState<String> seen,
        MultiOutputReceiver out) {
      Ledger.Decision decision = Ledger.handle(command.getValue(), new BeamState(accounts, seen));
      decision.events().forEach(e -> out.get(EVENTS).output(e));
      if (!decision.accepted()) {
        out.get(REJECTED).output(decision.rejection());
      }
    }
  }

  /** {@link Ledger.State} over the DoFn's state cells. */
  private record BeamState(MapState<String, Ledger.Account> accounts, SetState<String> seen)
      implements Ledger.State {
    @Override
    public Ledger.@Nullable Account account(String id) {
      return accounts.get(id).read();
    }

    @Override
    public boolean seen(String commandId) {
      return Boolean.TRUE.equals(seen.contains(commandId).read());
    }

    @Override
    public void put(String id, Ledger.Account account) {
      accounts.put(id, account);
    }

    @Override
    public void markSeen(String commandId) {
      seen.add(commandId);
    }
  }

  /** An account's state in Beam state: balance and version. */
  static final class AccountCoder extends AtomicCoder<Ledger.Account> {
    private static final long serialVersionUID = 1L;
    static final AccountCoder INSTANCE = new AccountCoder();

    @Override
    public void encode(Ledger.Account a, OutputStream out) throws IOException {
      VarLongCoder.of().encode(a.balanceCents(), out);
      VarLongCoder.of().encode(a.version(), out);
    }

    @Override
    public Ledger.Account decode(InputStream in) throws IOException {
      return new Ledger.Account(VarLongCoder.of().decode(in), VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
