package dev.sluice.runners.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.io.KafkaClients;
import dev.sluice.runners.benchmarks.EngineRun.StreamMeasurement;
import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.transforms.window.WindowSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code ./sluice bench --jobs=early-firings}: what early results cost. {@code word-count} and
 * {@code log-analytics} run as streams (a live Kafka topic: a bounded input gets no early panes)
 * with each {@code --trigger} of the bench (none: one final pane per window, the sliced sliding
 * combine; {@code early=1000}: an early pane every 1 000 records of a window and key; {@code
 * early=1s}: one a second of processing time), side by side on the DirectRunner and Flink {@code
 * [local]}: events/s until every window's final pane was written, how many result lines (panes)
 * were written, and whether the final panes are the reference model's results.
 *
 * <p>The input topic (2 partitions) holds the workload's generated events, then one record per
 * partition an hour of event time later: it moves each partition's watermark past every window of
 * the events, so each of them gets its final pane (the sentinel's own windows stay open and are not
 * compared). Every run reads the whole topic from its start, its results go to topics of its own,
 * which this process reads as they come; once the final panes are as many as the model's results,
 * the job is stopped.
 */
final class EarlyFirings {
  /** The triggers compared when the bench is given none. */
  static final List<String> DEFAULT_TRIGGERS = List.of("none", "early=1000", "early=1s");

  static final List<Workload> WORKLOADS = List.of(Workload.WORD_COUNT, Workload.LOG_ANALYTICS);

  /** The engines that run a Sluice stream here (Spark streams are not measured). */
  static final List<Engine> ENGINES = List.of(Engine.DIRECT, Engine.FLINK);

  /** The generators' records are up to a minute out of order; none may be late. */
  static final Duration OUT_OF_ORDER = Duration.ofMinutes(2);

  private static final int PARTITIONS = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Bench.BenchSettings settings;
  private final PrintStream progress;

  /** job → events → engine → trigger → the measured runs. */
  private final Map<String, Map<Long, Map<Engine, Map<String, List<Run>>>>> runs =
      new LinkedHashMap<>();

  private final List<String> failures = new ArrayList<>();

  /** One measured run: the stream's figures, what it wrote, and whether its final panes matched. */
  record Run(StreamMeasurement measurement, long lines, long earlyLines, boolean same) {}

  EarlyFirings(Bench.BenchSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * The checked {@code --trigger} of the bench: {@code none}, or a job's {@code --trigger} whose
   * panes accumulate (each window's last pane is then its result, which is compared with the
   * model).
   *
   * @throws IllegalArgumentException naming the value and what is allowed
   */
  static String checkTrigger(String text) {
    if (text.equals("none")) {
      return text;
    }
    WindowSpec spec =
        WindowSpec.sliding(
                org.joda.time.Duration.standardMinutes(10),
                org.joda.time.Duration.standardMinutes(1))
            .accumulatingPanes()
            .withTrigger("--trigger=" + text, text);
    if (!spec.isAccumulating()) {
      throw new IllegalArgumentException(
          "--trigger="
              + text
              + ": the bench compares each window's final pane with the model, so panes must"
              + " accumulate; leave out discarding");
    }
    return text;
  }

  /** Runs every workload, size, engine and trigger; false if a run failed or differed. */
  boolean measure() throws IOException {
    List<Engine> engines = settings.engines().stream().filter(ENGINES::contains).toList();
    if (engines.isEmpty()) {
      failures.add("no engine: early firings are measured on --engines=direct,flink");
      return false;
    }
    boolean allSame = true;
    progress.println("bench: early-firings: starting a Kafka broker in this JVM...");
    try (KafkaBroker broker = KafkaBroker.start()) {
      for (Workload workload : WORKLOADS) {
        for (int i = 0; i < settings.events().size(); i++) {
          long events = settings.events().get(i);
          allSame &= measure(broker, workload, events, engines, i == 0);
        }
      }
    }
    return allSame;
  }

  private boolean measure(
      KafkaBroker broker, Workload workload, long events, List<Engine> engines, boolean first)
      throws IOException {
    GeneratedEvents generated =
        Generators.named(workload.generator())
            .orElseThrow()
            .generate(workload.settings((int) events));
    Map<String, List<String>> model = workload.model(generated.lines());
    Map<String, List<String>> expected = new TreeMap<>(model);
    long expectedLines = expected.values().stream().mapToLong(List::size).sum();
    String input = workload.job() + "-" + events + "-in";
    progress.printf(
        "bench: early-firings: %s, %,d events into topic %s...%n", workload.job(), events, input);
    fill(broker, input, workload, generated);
    boolean allSame = true;
    int firstRun = first ? 1 - settings.warmups() : 1;
    for (int run = firstRun; run <= settings.runs(); run++) {
      for (Engine engine : engines) {
        // The triggers take turns within one round, so a change of load falls on all of them.
        for (String trigger : settings.triggers()) {
          String name =
              String.join(
                  "-",
                  workload.job(),
                  Long.toString(events),
                  engine.flag(),
                  trigger.replaceAll("[^A-Za-z0-9]+", ""),
                  run <= 0 ? "w" + (1 - run) : "r" + run);
          Path dir = settings.out().resolve("runs").resolve("early-" + name);
          Bench.deleteRecursively(dir);
          Files.createDirectories(dir);
          List<String> flags = trigger.equals("none") ? List.of() : List.of("--trigger=" + trigger);
          String out = name + "-out";
          for (String output : expected.keySet()) {
            broker.createTopic(out + output, PARTITIONS);
          }
          List<String> command =
              engine.streamCommand(
                  settings.root(),
                  settings.heap(),
                  workload.job(),
                  broker.uri(input) + "?out-of-order=" + OUT_OF_ORDER.toSeconds() + "s",
                  broker.uri(out) + "?partitions=" + PARTITIONS,
                  flags);
          Run measured;
          try (Written written = new Written(broker, out, expected.keySet())) {
            StreamMeasurement m =
                EngineRun.runStream(
                    command,
                    dir.resolve("run.log"),
                    settings.budget().multipliedBy(3),
                    () -> written.poll() >= expectedLines);
            written.drain();
            boolean same =
                OutputFingerprint.ofExpected(written.finalPanes())
                    .equals(OutputFingerprint.ofExpected(expected));
            measured = new Run(m, written.lines(), written.earlyLines(), same);
          } catch (IllegalStateException e) {
            String why = e.getMessage().lines().findFirst().orElse("");
            progress.printf("bench: early-firings %s failed: %s%n", name, e.getMessage());
            failures.add(name + ": " + why);
            allSame = false;
            continue;
          }
          allSame &= measured.same();
          progress.printf(
              Locale.ROOT,
              "bench: early-firings %s, %,d events, %s, --trigger=%s %s: %.1f s to the last final"
                  + " pane, %,d result lines (%,d early), peak %,d MB, final panes %s%n",
              workload.job(),
              events,
              engine.flag(),
              trigger,
              run <= 0 ? "warm-up" : "run " + run + "/" + settings.runs(),
              measured.measurement().seconds(),
              measured.lines(),
              measured.earlyLines(),
              measured.measurement().peakRssBytes() >> 20,
              measured.same() ? "= model" : "DIFFER from the model");
          if (run > 0) {
            runs.computeIfAbsent(workload.job(), j -> new LinkedHashMap<>())
                .computeIfAbsent(events, e -> new LinkedHashMap<>())
                .computeIfAbsent(engine, e -> new LinkedHashMap<>())
                .computeIfAbsent(trigger, t -> new ArrayList<>())
                .add(measured);
          }
        }
      }
    }
    return allSame;
  }

  /**
   * Writes the events to a new topic, each record at its event time, spread over the partitions,
   * then one sentinel record per partition an hour of event time after the last event.
   */
  private static void fill(
      KafkaBroker broker, String topic, Workload workload, GeneratedEvents events) {
    broker.createTopic(topic, PARTITIONS);
    long last = events.eventTimes().stream().mapToLong(Long::longValue).max().orElseThrow();
    GeneratedEvents sentinels =
        Generators.named(workload.generator())
            .orElseThrow()
            .generate(
                workload
                    .settings(1_000)
                    .withEvents(PARTITIONS)
                    .withSeed(7)
                    .withStart(Instant.ofEpochMilli(last).plus(Duration.ofHours(1)))
                    .withSpan(Duration.ofMinutes(1))
                    .withDisorder(Duration.ZERO));
    KafkaProducer<String, String> producer = Topics.producer(broker.bootstrapServers());
    try {
      List<ProducerRecord<String, String>> batch = new ArrayList<>();
      for (int i = 0; i < events.lines().size(); i++) {
        batch.add(record(topic, i % PARTITIONS, events, i));
        if (batch.size() == 10_000) {
          Topics.sendAll(producer, batch);
          batch.clear();
        }
      }
      for (int p = 0; p < PARTITIONS; p++) {
        batch.add(record(topic, p, sentinels, p));
      }
      Topics.sendAll(producer, batch);
    } finally {
      KafkaClients.close(producer);
    }
  }

  private static ProducerRecord<String, String> record(
      String topic, int partition, GeneratedEvents events, int i) {
    return new ProducerRecord<>(
        topic, partition, events.eventTimes().get(i), events.keys().get(i), events.lines().get(i));
  }

  /**
   * A run's results as they arrive in its topics: every line, and each window's final pane as the
   * model writes it (pane {@code ON_TIME}, index 0: with early panes before it, a final pane's
   * index is theirs plus one).
   */
  private static final class Written implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, String> outputOfTopic = new TreeMap<>();
    private final Map<String, List<String>> finalPanes = new TreeMap<>();
    private long lines;
    private long earlyLines;
    private long finalLines;

    Written(KafkaBroker broker, String topic, Iterable<String> outputs) {
      outputs.forEach(output -> finalPanes.put(output, new ArrayList<>()));
      consumer = OutputTopics.readFromStart(broker, topic, outputs, PARTITIONS, outputOfTopic);
    }

    /** Reads what arrived within 100 ms; returns the final panes read so far. */
    long poll() {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
        add(outputOfTopic.get(record.topic()), record.value());
      }
      return finalLines;
    }

    /** Reads until nothing more arrives for a second (a line after the last would show here). */
    void drain() {
      long quietSince = System.nanoTime();
      long seen = lines;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() - quietSince < 1e9 && System.nanoTime() < deadline) {
        poll();
        if (lines != seen) {
          seen = lines;
          quietSince = System.nanoTime();
        }
      }
    }

    private void add(String output, String line) {
      lines++;
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException("not a result line: " + line, e);
      }
      if (node.path("pane").asText().equals("EARLY")) {
        earlyLines++;
      }
      if (node.path("final").asBoolean()) {
        finalLines++;
        ((ObjectNode) node).put("pane_index", 0);
        finalPanes.get(output).add(node.toString());
      }
    }

    long lines() {
      return lines;
    }

    long earlyLines() {
      return earlyLines;
    }

    Map<String, List<String>> finalPanes() {
      return finalPanes;
    }

    @Override
    public void close() {
      KafkaClients.close(consumer);
    }
  }

  /** The section of the report: one table per job, each trigger beside the run with none. */
  String markdown() {
    StringBuilder md = new StringBuilder("## Early firings\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Each job as a stream over a live Kafka topic (2 partitions, `out-of-order=%ds`), with"
                + " each `--trigger` in turn, on the DirectRunner and FlinkRunner `[local]`"
                + " (`--parallelism=2`), %d measured runs each (medians, min..max). **events/s** ="
                + " events ÷ the time from the launcher's \"runs ... until stopped\" line to the"
                + " last window's final pane read back from the output topic; **lines** = result"
                + " lines written (every pane, alerts included), of which **early** were EARLY"
                + " panes; **÷ none** = against the same job, size and engine without a trigger."
                + " **final panes**: each window's final pane against the reference model (lines"
                + " and an order-independent hash).%n%n",
            OUT_OF_ORDER.toSeconds(),
            settings.runs()));
    runs.forEach(
        (job, sizes) -> {
          md.append("### ").append(job).append("\n\n");
          md.append(
              "| events | engine | --trigger | events/s median (min..max) | s to last final pane"
                  + " | lines (early) | events/s ÷ none | lines ÷ none | peak MB | final panes"
                  + " |\n");
          md.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---|\n");
          sizes.forEach(
              (events, engines) ->
                  engines.forEach(
                      (engine, triggers) -> {
                        List<Run> none = triggers.get("none");
                        triggers.forEach(
                            (trigger, measured) ->
                                row(md, events, engine, trigger, measured, none));
                      }));
          md.append('\n');
        });
    if (!failures.isEmpty()) {
      md.append("Failed runs:\n\n");
      failures.forEach(f -> md.append("- ").append(f).append('\n'));
      md.append('\n');
    }
    return md.toString();
  }

  private static void row(
      StringBuilder md,
      long events,
      Engine engine,
      String trigger,
      List<Run> measured,
      List<Run> none) {
    double[] rates =
        measured.stream().mapToDouble(r -> events / r.measurement().seconds()).toArray();
    double rate = BenchReport.median(rates);
    double lines = BenchReport.median(measured.stream().mapToDouble(Run::lines).toArray());
    double early = BenchReport.median(measured.stream().mapToDouble(Run::earlyLines).toArray());
    double seconds =
        BenchReport.median(measured.stream().mapToDouble(r -> r.measurement().seconds()).toArray());
    double peak =
        BenchReport.median(
            measured.stream().mapToDouble(r -> r.measurement().peakRssBytes() >> 20).toArray());
    String rateRatio = "";
    String linesRatio = "";
    if (none != null && !none.isEmpty()) {
      double noneRate =
          BenchReport.median(
              none.stream().mapToDouble(r -> events / r.measurement().seconds()).toArray());
      double noneLines = BenchReport.median(none.stream().mapToDouble(Run::lines).toArray());
      rateRatio = String.format(Locale.ROOT, "%.2f", rate / noneRate);
      linesRatio = String.format(Locale.ROOT, "%.2f", lines / noneLines);
    }
    boolean same = measured.stream().allMatch(Run::same);
    md.append(
        String.format(
            Locale.ROOT,
            "| %,d | %s | %s | %,.0f (%,.0f..%,.0f) | %.1f | %,.0f (%,.0f) | %s | %s | %,.0f | %s"
                + " |%n",
            events,
            engine.label(),
            trigger.equals("none") ? "none (sliced)" : "`" + trigger + "`",
            rate,
            Arrays.stream(rates).min().orElseThrow(),
            Arrays.stream(rates).max().orElseThrow(),
            seconds,
            lines,
            early,
            rateRatio,
            linesRatio,
            peak,
            same ? "= model" : "DIFFERS"));
  }
}
