package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.OutputFiles;
import dev.sluice.testing.kafka.KafkaEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every job of the {@link JobCases#streams} as a live stream on one runner, checked against its
 * reference model (for the ledger's command side, the event log and rejects of every command the
 * watermark has passed stand for a closed window's results). The job starts on an empty input topic
 * of {@value #PARTITIONS} partitions; the test feeds the generated events (out of order within the
 * case's bound, malformed ones included, none late) while it runs, in {@value #BURSTS} bursts; it
 * waits, bounded, until every result of every window the stream must have closed has appeared (a
 * window ending at or before the largest event time minus the out-of-order bound), then stops the
 * job and reads everything it wrote:
 *
 * <ul>
 *   <li>every result the model gives for the closed windows is there, output by output;
 *   <li>every line written is one of the model's (a window closed early, on incomplete data, or a
 *       wrong value would not be), and none is written twice;
 *   <li>the dead letters are exactly the malformed records, each at its {@code partition@offset}.
 * </ul>
 *
 * <p>A further case feeds word-count records far behind the watermark: each must be a dead letter
 * of kind {@code late} with its event time, counted as late (parsed + dead letters + late = records
 * fed), and the closed windows must hold the model's results for the others, so that a late record
 * is neither counted nor lost. Another launches word-count through its checked-in live template
 * ({@code ./sluice template run word-count-live --mode=stream}) and checks it the same way.
 *
 * <p>The expectation is the model's, never the job's own batch output, and the job's output is not
 * filtered before it is compared. Results go to Kafka for every other case and to files for the
 * rest, so that a runner writes a stream to both, unless it says it cannot yet ({@link
 * #writesFiles}). A runner module extends this class, says how to select its runner, and registers
 * the broker the tests receive as a {@link KafkaEndpoint}: {@code KafkaBrokerExtension} (in this
 * JVM) or {@code KafkaProcessExtension} (its own JVM, for a classpath that cannot hold the broker).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StreamingConformance {
  static final int PARTITIONS = 3;
  static final int BURSTS = 3;

  /** The late-record case: this share of word-count's records is fed this many minutes late. */
  static final double LATE_SHARE = 0.03;

  static final long LATE_BY_MINUTES = 20;

  /** How long the job may take to start, and then to write the closed windows' results. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private static final Duration RESULTS_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where a case writes its results. */
  enum Sink {
    KAFKA,
    FILES
  }

  /** The flags that select this runner, e.g. {@code --runner=flink}. */
  protected abstract List<String> runnerFlags();

  /** Called once a live stream of this class has ended (a runner's clean-up after its runs). */
  protected void streamEnded() {}

  /**
   * Where this runner refuses {@code job}'s live stream with {@code --trigger=<trigger>}, the part
   * of the one line that says why; null where it runs it. By default, the job's own refusal.
   */
  protected @Nullable String triggerRefusal(String job, String trigger) {
    return refusedJobs().get(job);
  }

  /** Whether this runner's streams are checked writing files too (else Kafka only). */
  protected boolean writesFiles() {
    return true;
  }

  /**
   * The jobs this runner refuses as a live stream, each with a part of the one line that must say
   * why ({@link #aLiveStreamThisRunnerCannotRunIsRefusedBeforeLaunch}); every other job is run and
   * checked. Every job of {@link JobCases} is thus either proven or proven refused.
   */
  protected Map<String, String> refusedJobs() {
    return Map.of();
  }

  Stream<Arguments> cases() {
    // -Dsluice.jobs=ledger-commands,word-count runs only those jobs' cases (to look at one).
    List<JobCase> cases = JobCases.selected(JobCases.streams());
    List<Arguments> arguments = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      if (refusedJobs().containsKey(cases.get(i).job())) {
        continue;
      }
      boolean files = i % 2 == 1 && writesFiles();
      arguments.add(Arguments.of(cases.get(i), files ? Sink.FILES : Sink.KAFKA));
    }
    return arguments.stream();
  }

  Stream<Arguments> refusedCases() {
    for (String job : refusedJobs().keySet()) {
      if (JobCases.streams().stream().noneMatch(c -> c.job().equals(job))) {
        throw new IllegalStateException("refusedJobs() names " + job + ", which is no job case");
      }
    }
    return JobCases.streams().stream()
        .filter(c -> refusedJobs().containsKey(c.job()))
        .map(c -> Arguments.of(c, refusedJobs().get(c.job())));
  }

  /**
   * Where this runner does not write a stream's results to files ({@link #writesFiles} false), the
   * part of the one line that refuses such a run before launch; a runner must prove that refusal.
   */
  protected String filesRefusal() {
    return null;
  }

  /** A live stream to files on a runner that cannot write them is refused before launch. */
  @Test
  void aLiveStreamToFilesIsRefusedWhereTheRunnerCannotWriteThem(KafkaEndpoint broker)
      throws IOException {
    org.junit.jupiter.api.Assumptions.assumeFalse(writesFiles(), "this runner writes files");
    assertThat("a runner that writes no files says how it refuses them", filesRefusal() != null);
    JobCase c = JobCases.named("word-count");
    String in = "files-refused-" + getClass().getSimpleName().toLowerCase();
    broker.createTopic(in, PARTITIONS);
    Path out =
        Files.createTempDirectory(Files.createDirectories(Path.of("target", "streams")), in)
            .resolve("out");
    JobRun.Result run =
        JobRun.of(c.job())
            .args("--input=" + broker.uri(in), "--output=file:" + out)
            .args(c.flags())
            .args(runnerFlags())
            .run();
    assertThat(run.stderr(), run.exitCode(), equalTo(2));
    assertThat(run.stderr(), run.launched(), is(false));
    assertThat(run.stderr(), run.error(), containsString(c.job() + ": " + filesRefusal()));
    assertThat(run.stderr(), run.stderr(), not(containsString("Exception")));
    assertThat("nothing written", Files.exists(out.getParent().resolve(".temp-beam")), is(false));
  }

  /**
   * A job this runner cannot run correctly as a live stream is refused before launch, as the other
   * test starts it: exit 2, one line naming the job and why, and no job launched.
   */
  @ParameterizedTest(name = "{0} refused", allowZeroInvocations = true)
  @MethodSource("refusedCases")
  void aLiveStreamThisRunnerCannotRunIsRefusedBeforeLaunch(
      JobCase c, String why, KafkaEndpoint broker) {
    assertRefusedBeforeLaunch(c, why, broker, "");
  }

  /**
   * Starts the case's job as a live stream with {@code moreFlags}: it must be refused, saying why.
   * {@code nameSuffix} tells its topic apart.
   */
  private void assertRefusedBeforeLaunch(
      JobCase c, String why, KafkaEndpoint broker, String nameSuffix, String... moreFlags) {
    String in = c.job() + nameSuffix + "-refused-" + getClass().getSimpleName().toLowerCase();
    broker.createTopic(in, PARTITIONS);
    JobRun.Result run =
        JobRun.of(c.job())
            .args(
                "--input=" + broker.uri(in) + "?out-of-order=" + c.outOfOrder().toSeconds() + "s",
                "--output=" + broker.uri(in + "-out") + "?partitions=2")
            .args(c.flags())
            .args(moreFlags)
            .args(runnerFlags())
            .run();
    assertThat(run.stderr(), run.exitCode(), equalTo(2));
    assertThat(run.stderr(), run.launched(), is(false));
    // The refusal is the last line (Flink says first how a stream would be checkpointed).
    assertThat(run.stderr(), run.error(), containsString(c.job() + ": "));
    assertThat(run.stderr(), run.error(), containsString(why));
    assertThat(run.stderr(), run.stderr(), not(containsString("Exception")));
  }

  @ParameterizedTest(name = "{0} to {1}", allowZeroInvocations = true)
  @MethodSource("cases")
  void aLiveStreamWritesTheModelsResultsForEveryClosedWindow(
      JobCase c, Sink sink, KafkaEndpoint broker) throws Exception {
    GeneratedEvents events = c.eventsNoneLate();
    assertThat("no record of this feed is late", lateLineNumbers(events, c.outOfOrder()), empty());
    runAndCompare(c, sink, events, broker, Launch.byFlags(""));
  }

  /**
   * Records fed far behind their partition's watermark ({@value #LATE_SHARE} of them, {@value
   * #LATE_BY_MINUTES} minutes back) are neither counted nor lost: each is a dead letter of kind
   * {@code late} with its event time, the run counts them as late, and the closed windows hold
   * exactly the model's results for the other records.
   */
  @Test
  void recordsBehindTheWatermarkAreLateDeadLettersNotLost(KafkaEndpoint broker) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        refusedJobs().containsKey("word-count"), "this runner refuses word-count as a stream");
    JobCase c = JobCases.named("word-count");
    GeneratedEvents events = lateFeed(c);
    SortedSet<Integer> late = lateLineNumbers(events, c.outOfOrder());
    // The feed is what the test means it to be: only records made late are late, and some are.
    SortedSet<Integer> lateButNotMadeLate = new TreeSet<>(late);
    lateButNotMadeLate.removeAll(events.lateLineNumbers());
    assertThat("records late but not made late", lateButNotMadeLate, empty());
    assertThat("the feed has late records", late, is(not(empty())));
    runAndCompare(c, Sink.KAFKA, events, broker, Launch.byFlags("-late"));
  }

  /** The case's events with {@value #LATE_SHARE} of them {@value #LATE_BY_MINUTES} minutes late. */
  private static GeneratedEvents lateFeed(JobCase c) {
    return Generators.named(c.generator())
        .orElseThrow()
        .generate(c.settings().withLate(LATE_SHARE, java.time.Duration.ofMinutes(LATE_BY_MINUTES)));
  }

  /**
   * The job's checked-in live template ({@code templates/<job>-live.json}) in stream mode,
   * submitted like any run on this runner: it must give the model's results for every closed window
   * exactly as the job launched by its flags does.
   */
  @Test
  void theLiveTemplateInStreamModeWritesTheModelsResults(KafkaEndpoint broker) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        refusedJobs().containsKey("word-count"), "this runner refuses word-count as a stream");
    JobCase c = JobCases.named("word-count");
    GeneratedEvents events = c.eventsNoneLate();
    runAndCompare(c, Sink.KAFKA, events, broker, Launch.byTemplate("-template"));
  }

  /**
   * Word-count with early panes 1 s of processing time after a window's first record ({@code
   * --trigger}): accumulating, every closed window's on-time line is the model's result and no pane
   * goes down; discarding, a window's panes add up to it. Either way the pane indexes rise, the
   * on-time pane is final and the last, and the windows still open at the end have early panes. A
   * runner that refuses word-count as a stream refuses it with the trigger too.
   */
  // The name leaves out the job: the runner matrix (RunnerMatrix) counts jobs' cases, not these.
  @ParameterizedTest(name = "--trigger={0}")
  @ValueSource(strings = {"early=1s", "early=1s,discarding"})
  void earlyPanesOfEveryClosedWindowComeToTheModelsResult(String trigger, KafkaEndpoint broker)
      throws Exception {
    runWithTrigger(
        JobCases.named("word-count"), trigger, "-early", JobCase::eventsNoneLate, broker);
  }

  /**
   * The other windowed jobs with early panes ({@code --trigger=early=1s}, accumulating: they refuse
   * discarding): every closed window's latest pane, in every output, is the model's result, and the
   * panes keep the contract ({@link PaneCheck}: indexes rising, early before on time, the main
   * figure never down). Alerts of early panes are the jobs' own rules (log-analytics: none;
   * risk-control: card rules only); a wrong early alert would stand as its window's latest.
   */
  // Named without the job, as above; failures and the run's summary line name it.
  @ParameterizedTest(name = "--trigger=early=1s, windowed job {index}", allowZeroInvocations = true)
  @MethodSource("windowedJobsButWordCount")
  void everyWindowedJobsEarlyPanesComeToTheModelsResult(JobCase c, KafkaEndpoint broker)
      throws Exception {
    runWithTrigger(c, "early=1s", "-early", JobCase::eventsNoneLate, broker);
  }

  static Stream<JobCase> windowedJobsButWordCount() {
    return JobCases.selected(JobCases.all()).stream()
        .filter(c -> !c.resultKeys().isEmpty() && !c.job().equals("word-count"))
        // Salted sub-keys take no trigger (trending-items refuses the two together).
        .map(
            c ->
                c.withFlags(
                    c.flags().stream().filter(f -> !f.startsWith("--hotKeyFanout=")).toList()));
  }

  /**
   * Word-count with an allowed lateness ({@code --trigger=...lateness=30m}) over the late-record
   * feed ({@value #LATE_SHARE} of the records {@value #LATE_BY_MINUTES} minutes late): no record is
   * a dead letter, every closed window's result (its latest pane, or its panes' sum) is the model's
   * of all records, and what its LATE panes added is only records made late: a late record is
   * counted once, late, and lost nowhere. (Which late records reach a window before it closes
   * depends on how far each partition has been read, so LATE panes hold at most the window's late
   * records.)
   */
  @ParameterizedTest(name = "--trigger={0}")
  @ValueSource(strings = {"lateness=30m", "early=1s,lateness=30m,discarding"})
  void latePanesAddOnlyLateRecordsAndLoseNone(String trigger, KafkaEndpoint broker)
      throws Exception {
    runWithTrigger(
        JobCases.named("word-count"), trigger, "-late", StreamingConformance::lateFeed, broker);
  }

  /**
   * The case's job as a live stream with {@code --trigger=<trigger>} over the feed {@code events}
   * gives, its panes checked ({@link PaneCheck}), or refused where this runner refuses it.
   */
  private void runWithTrigger(
      JobCase c,
      String trigger,
      String name,
      Function<JobCase, GeneratedEvents> events,
      KafkaEndpoint broker)
      throws Exception {
    boolean accumulating = !trigger.contains("discarding");
    String nameSuffix = name + (accumulating ? "-acc" : "-disc");
    String refusal = triggerRefusal(c.job(), trigger);
    if (refusal != null) {
      assertRefusedBeforeLaunch(c, refusal, broker, nameSuffix, "--trigger=" + trigger);
      return;
    }
    // The windows still open at the end must show early panes, except risk-control's: its early
    // panes hold alerts only where a card is already over its limit.
    boolean showsEarly = trigger.contains("early=") && !c.job().equals("risk-control");
    PaneCheck panes = PaneCheck.of(c, accumulating, showsEarly, trigger.contains("lateness="));
    runAndCompare(
        c, Sink.KAFKA, events.apply(c), broker, Launch.withTrigger(nameSuffix, trigger, panes));
  }

  /**
   * {@code ./sluice template run <job>-live --mode=stream}: the topic, bounds and output as the
   * template's parameters, the case's job flags as the parameters of the same names.
   */
  private static JobRun liveTemplate(JobCase c, KafkaEndpoint broker, String in, String output) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--mode=stream",
                // The launcher runs in this JVM, whose working folder is the module's.
                "--templates=" + LauncherConformance.repoRoot().resolve("templates")));
    List<String> params = new ArrayList<>();
    params.add("bootstrap=" + broker.bootstrapServers());
    params.add("topic=" + in);
    params.add("outOfOrder=" + c.outOfOrder().toSeconds() + "s");
    params.add("idle=1s");
    params.add("output=" + output);
    for (String flag : c.flags()) {
      params.add(flag.substring(2)); // --windowSize=10m -> windowSize=10m
    }
    for (String param : params) {
      args.add("--param");
      args.add(param);
    }
    return JobRun.template(c.job() + "-live", args.toArray(String[]::new));
  }

  /**
   * How a case's live run is launched: by the job's flags or as {@code ./sluice template run
   * <job>-live}, and with a {@code --trigger} whose panes {@code panes} checks and reduces to the
   * windows' final results; {@code nameSuffix} tells its topics apart.
   */
  private record Launch(
      String nameSuffix, boolean viaTemplate, List<String> flags, @Nullable PaneCheck panes) {
    static Launch byFlags(String nameSuffix) {
      return new Launch(nameSuffix, false, List.of(), null);
    }

    static Launch byTemplate(String nameSuffix) {
      return new Launch(nameSuffix, true, List.of(), null);
    }

    static Launch withTrigger(String nameSuffix, String trigger, PaneCheck panes) {
      return new Launch(nameSuffix, false, List.of("--trigger=" + trigger), panes);
    }
  }

  /**
   * Feeds {@code events} to a live run of the case's job and compares what it wrote with the model
   * of the records that are not late; the late ones must be dead letters of kind {@code late}.
   */
  private void runAndCompare(
      JobCase c, Sink sink, GeneratedEvents events, KafkaEndpoint broker, Launch launch)
      throws Exception {
    String nameSuffix = launch.nameSuffix();
    PaneCheck panes = launch.panes();
    SortedSet<Integer> madeLate = lateLineNumbers(events, c.outOfOrder());
    // With an allowed lateness the late records count (in LATE panes) instead of dead letters.
    SortedSet<Integer> late = panes != null && panes.acceptsLate() ? new TreeSet<>() : madeLate;
    List<String> onTime = new ArrayList<>();
    for (int n = 1; n <= events.lines().size(); n++) {
      if (!late.contains(n)) {
        onTime.add(events.lines().get(n - 1));
      }
    }
    String name = c.job() + nameSuffix + "-" + getClass().getSimpleName().toLowerCase();
    String in = name + "-in";
    broker.createTopic(in, PARTITIONS);
    Path dir =
        Files.createTempDirectory(Files.createDirectories(Path.of("target", "streams")), name);
    Function<String, List<String>> raw = output(sink, broker, name, dir.resolve("out"));
    // With a trigger, each window's final result stands for its panes (checked on their own).
    Function<String, List<String>> written =
        panes == null
            ? raw
            : suffix ->
                suffix.equals(".dead-letters")
                    ? raw.apply(suffix)
                    : panes.finalResults(suffix, raw.apply(suffix));
    String output =
        sink == Sink.KAFKA
            ? broker.uri(name + "-out") + "?partitions=2"
            : "file:" + dir.resolve("out");

    Instant closedBy = lastEventTime(events).minus(c.outOfOrder());
    Map<String, List<String>> model = c.model().apply(onTime);
    Map<String, List<String>> closed = new TreeMap<>();
    model.forEach(
        (suffix, lines) ->
            closed.put(suffix, lines.stream().filter(l -> !dueBy(l).isAfter(closedBy)).toList()));
    assertThat("the model closes windows with results", closed.get(""), is(not(empty())));
    List<BadInputCheck.Letter> expectedLetters = new ArrayList<>();
    expectedLetters.addAll(atTheirPositions(events, events.malformedLineNumbers()));
    expectedLetters.addAll(atTheirPositions(events, late));

    try (StreamEndedHook ended = this::streamEnded;
        JobRun.Live live =
            (launch.viaTemplate()
                    ? liveTemplate(c, broker, in, output)
                    : JobRun.of(c.job())
                        .args(
                            "--input="
                                + broker.uri(in)
                                + "?out-of-order="
                                + c.outOfOrder().toSeconds()
                                + "s&idle=1s",
                            "--output=" + output)
                        .args(c.flags())
                        .args(launch.flags()))
                .args("--progressEvery=10s")
                .args(runnerFlags())
                .start(START_TIMEOUT)) {
      feedInBursts(broker, in, events);
      for (Map.Entry<String, List<String>> out : closed.entrySet()) {
        awaitAll(live, written, out.getKey(), out.getValue(), c.job());
      }
      // A stopped stream loses what its sinks had not yet written: wait for the dead letters too.
      awaitCount(live, written, ".dead-letters", expectedLetters.size(), c.job());
      if (panes != null && panes.firesEarly()) {
        // The windows the stream never closes fire early 1 s after their first record.
        awaitEarlyPane(live, raw, c.job());
      }
      JobRun.Result run = live.stop(STOP_TIMEOUT);
      assertThat(run.stderr(), run.exitCode(), equalTo(0));
      if (run.counts().known()) {
        assertThat(
            c.job() + ": parsed + dead letters + late = records fed",
            run.counts().read(),
            equalTo((long) events.lines().size()));
        assertThat(c.job() + ": late records", run.counts().late(), equalTo((long) late.size()));
      }
    }

    for (Map.Entry<String, List<String>> out : model.entrySet()) {
      String what = c.job() + " " + (out.getKey().isEmpty() ? "output" : out.getKey());
      List<String> got = written.apply(out.getKey());
      assertThat(what + ": lines written twice", repeated(got), empty());
      assertThat(
          what + ": lines not in the model", BadInputCheck.minus(got, out.getValue()), empty());
      assertThat(
          what + ": closed windows' results missing",
          BadInputCheck.minus(closed.get(out.getKey()), got),
          empty());
    }
    if (panes != null) {
      assertThat(c.job() + ": panes", panes.problems(raw.apply("")), empty());
    }
    if (panes != null && panes.acceptsLate()) {
      assertLatePanesHoldOnlyLateRecords(c, events, madeLate, panes, raw.apply(""));
    }
    List<String> deadLetters = written.apply(".dead-letters");
    BadInputCheck.deadLettersAre(c.job(), deadLetters, expectedLetters);
    assertThat(
        c.job() + ": late dead letters (position, event time)",
        lateLettersOf(deadLetters),
        equalTo(lateLettersExpected(events, late)));
    System.out.printf(
        "%s to %s on %s: %d records fed (%d late), %d results of closed windows expected, %s"
            + " written%s, %d dead letters%n",
        c.job() + nameSuffix,
        sink,
        runnerFlags(),
        events.lines().size(),
        late.size(),
        closed.values().stream().mapToInt(List::size).sum(),
        model.keySet().stream()
            .map(k -> (k.isEmpty() ? "output" : k) + " " + written.apply(k).size())
            .toList(),
        panes == null
            ? ""
            : String.format(
                " (of %d panes, %d early, %d late)",
                raw.apply("").size(),
                PaneCheck.panes(raw.apply(""), "EARLY"),
                PaneCheck.panes(raw.apply(""), "LATE")),
        deadLetters.size());
  }

  /**
   * What the LATE panes of each window added is at most the model's result of the window's records
   * made late (an on-time record is never behind the watermark), and some were added.
   */
  private static void assertLatePanesHoldOnlyLateRecords(
      JobCase c,
      GeneratedEvents events,
      SortedSet<Integer> madeLate,
      PaneCheck panes,
      List<String> lines) {
    List<String> lateLines = madeLate.stream().map(n -> events.lines().get(n - 1)).toList();
    Map<String, Long> lateModel = new TreeMap<>();
    for (String line : c.model().apply(lateLines).get("")) {
      lateModel.put(panes.windowKey(line), count(line));
    }
    Map<String, Long> added = panes.lateAdded(lines);
    assertThat(c.job() + ": LATE panes added records", added.isEmpty(), is(false));
    List<String> beyond = new ArrayList<>();
    added.forEach(
        (window, amount) -> {
          if (amount > lateModel.getOrDefault(window, 0L)) {
            beyond.add(window + " added " + amount + " of late " + lateModel.get(window));
          }
        });
    assertThat(c.job() + ": LATE panes with more than the late records", beyond, empty());
  }

  /** A word-count result line's count. */
  private static long count(String line) {
    try {
      return JSON.readTree(line).path("count").asLong();
    } catch (IOException e) {
      throw new AssertionError("not a result line: " + line, e);
    }
  }

  /** {@link #streamEnded} as a resource, closed after the stream it follows. */
  private interface StreamEndedHook extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * The 1-based numbers of the lines a stream must call late, by the rule the read documents and
   * computed here on its own: in line i's partition ({@code i % PARTITIONS}), a record that parses
   * is late when its event time is more than {@code outOfOrder} behind the newest on-time record
   * fed to that partition before it. (No idle partition takes over here: the feed keeps every
   * record within the bound of all records before it, except the ones made late.)
   */
  static SortedSet<Integer> lateLineNumbers(GeneratedEvents events, java.time.Duration outOfOrder) {
    long[] newest = new long[PARTITIONS];
    java.util.Arrays.fill(newest, Long.MIN_VALUE);
    SortedSet<Integer> late = new TreeSet<>();
    for (int i = 0; i < events.lines().size(); i++) {
      Long time = events.eventTimes().get(i);
      if (time == null || events.malformedLineNumbers().contains(i + 1)) {
        continue;
      }
      int p = i % PARTITIONS;
      if (newest[p] != Long.MIN_VALUE && time < newest[p] - outOfOrder.toMillis()) {
        late.add(i + 1);
      } else {
        newest[p] = Math.max(newest[p], time);
      }
    }
    return late;
  }

  /**
   * Line i goes to partition i % {@value #PARTITIONS}, with its event time as the record's
   * timestamp; a pause between bursts lets the partitions go idle.
   */
  private static void feedInBursts(KafkaEndpoint broker, String topic, GeneratedEvents events)
      throws InterruptedException {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < events.lines().size(); i++) {
      records.add(
          new ProducerRecord<>(
              topic,
              i % PARTITIONS,
              events.eventTimes().get(i),
              events.keys().get(i),
              events.lines().get(i)));
    }
    sendInBursts(broker, records);
  }

  /**
   * Sends {@code records} in {@value #BURSTS} bursts, in order, with a pause after each: the pause
   * shapes the input (the partitions go idle between bursts, as a live topic's do); nothing waits
   * on it for a result.
   */
  static void sendInBursts(KafkaEndpoint broker, List<ProducerRecord<String, String>> records)
      throws InterruptedException {
    int burst = (records.size() + BURSTS - 1) / BURSTS;
    for (int from = 0; from < records.size(); from += burst) {
      broker.send(records.subList(from, Math.min(records.size(), from + burst)));
      Thread.sleep(1_500);
    }
  }

  /**
   * Line n (1-based) of the input is at offset (n-1) / partitions of partition (n-1) % partitions.
   */
  private static List<BadInputCheck.Letter> atTheirPositions(
      GeneratedEvents events, java.util.Collection<Integer> lineNumbers) {
    return lineNumbers.stream()
        .map(n -> new BadInputCheck.Letter(positionOf(n), events.lines().get(n - 1)))
        .toList();
  }

  private static String positionOf(int lineNumber) {
    return (lineNumber - 1) % PARTITIONS + "@" + (lineNumber - 1) / PARTITIONS;
  }

  /** The dead letters of kind {@code late}, as sorted "position event-time" entries. */
  private static List<String> lateLettersOf(List<String> deadLetters) {
    List<String> late = new ArrayList<>();
    for (String line : deadLetters) {
      try {
        com.fasterxml.jackson.databind.JsonNode letter = JSON.readTree(line);
        if (letter.path("kind").asText().equals("late")) {
          late.add(letter.path("position").asText() + " " + letter.path("event_time").asText());
        }
      } catch (IOException e) {
        throw new AssertionError("not a dead letter: " + line, e);
      }
    }
    java.util.Collections.sort(late);
    return late;
  }

  private static List<String> lateLettersExpected(GeneratedEvents events, SortedSet<Integer> late) {
    List<String> expected = new ArrayList<>();
    for (int n : late) {
      expected.add(positionOf(n) + " " + Instant.ofEpochMilli(events.eventTimes().get(n - 1)));
    }
    java.util.Collections.sort(expected);
    return expected;
  }

  /** What the job has written so far to the output with this suffix ({@code ""}, ".alerts"). */
  private static Function<String, List<String>> output(
      Sink sink, KafkaEndpoint broker, String name, Path prefix) {
    if (sink == Sink.KAFKA) {
      return suffix ->
          broker.readAll(name + "-out" + suffix).stream().map(ConsumerRecord::value).toList();
    }
    return suffix ->
        OutputFiles.streamedLines(prefix.resolveSibling(prefix.getFileName() + suffix));
  }

  /** Polls the output until it holds every expected line, for at most the results timeout. */
  private static void awaitAll(
      JobRun.Live live,
      Function<String, List<String>> written,
      String suffix,
      List<String> expected,
      String job)
      throws InterruptedException {
    long deadline = System.nanoTime() + RESULTS_TIMEOUT.toNanos();
    List<String> missing = BadInputCheck.minus(expected, written.apply(suffix));
    while (!missing.isEmpty()) {
      live.endedEarly()
          .ifPresent(
              run -> {
                throw new AssertionError(
                    job + ": the job ended while results were missing: " + run.stderr());
              });
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            String.format(
                "%s%s: %d of %d results of the closed windows still missing after %s, e.g. %s;"
                    + " the launcher said: %s",
                job,
                suffix,
                missing.size(),
                expected.size(),
                RESULTS_TIMEOUT,
                missing.get(0),
                live.stderr()));
      }
      Thread.sleep(500);
      missing = BadInputCheck.minus(expected, written.apply(suffix));
    }
  }

  /** Polls the output until it holds an early pane, for at most the results timeout. */
  private static void awaitEarlyPane(
      JobRun.Live live, Function<String, List<String>> written, String job)
      throws InterruptedException {
    long deadline = System.nanoTime() + RESULTS_TIMEOUT.toNanos();
    while (PaneCheck.panes(written.apply(""), "EARLY") == 0) {
      if (live.endedEarly().isPresent() || System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            String.format(
                "%s: no early pane after %s; the launcher said: %s",
                job, RESULTS_TIMEOUT, live.stderr()));
      }
      Thread.sleep(500);
    }
  }

  /** Polls the output until it holds at least {@code count} lines, for at most the timeout. */
  private static void awaitCount(
      JobRun.Live live,
      Function<String, List<String>> written,
      String suffix,
      int count,
      String job)
      throws InterruptedException {
    long deadline = System.nanoTime() + RESULTS_TIMEOUT.toNanos();
    while (written.apply(suffix).size() < count) {
      if (live.endedEarly().isPresent() || System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            String.format(
                "%s%s: %d of %d lines after %s; the launcher said: %s",
                job, suffix, written.apply(suffix).size(), count, RESULTS_TIMEOUT, live.stderr()));
      }
      Thread.sleep(500);
    }
  }

  /** The largest event time of the generated events (those that have one). */
  static Instant lastEventTime(GeneratedEvents events) {
    return Instant.ofEpochMilli(
        events.eventTimes().stream()
            .filter(t -> t != null)
            .mapToLong(Long::longValue)
            .max()
            .orElseThrow());
  }

  /**
   * When a result is due: once the watermark passes its window's end ({@code window_end}), or, for
   * a result of one record (the ledger's {@code ts}), just past that record's time.
   */
  private static Instant dueBy(String resultLine) {
    try {
      com.fasterxml.jackson.databind.JsonNode line = JSON.readTree(resultLine);
      return line.has("window_end")
          ? Instant.parse(line.get("window_end").asText())
          : Instant.parse(line.get("ts").asText()).plusMillis(1);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("not a result line: " + resultLine, e);
    }
  }

  private static List<String> repeated(List<String> lines) {
    List<String> seen = new ArrayList<>(new HashSet<>(lines));
    return BadInputCheck.minus(lines, seen);
  }
}
