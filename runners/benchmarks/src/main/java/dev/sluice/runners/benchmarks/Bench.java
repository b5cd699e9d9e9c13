package dev.sluice.runners.benchmarks;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.runners.benchmarks.EngineRun.Measurement;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./sluice bench}: each workload on every engine, side by side in one run, several runs
 * after a warm-up; medians and spread of events/s, wall time and peak memory; each run's output
 * checked against the plain-Java model's; ratios to native Flink and to plain Java; how the time
 * grows with the input (fixed start-up cost apart from the per-event cost); the Kafka read; sketch
 * accuracy and partition balance. Prints the tables and writes {@code <out>/benchmarks.md} and PNG
 * charts.
 *
 * <p>Every run is its own JVM ({@link Engine}), so a runner's classpath, start-up and memory are
 * its own; runs of one size go round the engines in turn, so a change of machine load falls on all.
 */
@Command(
    name = "bench",
    description = {
      "Each pipeline on every engine, side by side, several runs after a warm-up: events/s,",
      "time, peak memory, ratios, output checked; tables and PNG charts in --out."
    })
public final class Bench implements Callable<Integer> {
  static final List<String> JOBS =
      List.of(
          "word-count",
          "log-analytics",
          "risk-control",
          "kafka-read",
          "early-firings",
          "sketch",
          "partition");

  /** The jobs of {@code --mode=stream}. */
  static final List<String> STREAM_JOBS = Workload.STREAMS.stream().map(Workload::job).toList();

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = {
        "batch: files in, files out, by input size (the default); stream: live Kafka in and out,",
        "by input rate: sustainable throughput, event-time latency, CPU."
      })
  String mode = "batch";

  @Option(
      names = "--jobs",
      paramLabel = "JOB,...",
      description = "The workloads (all of the mode's).")
  String jobs;

  @Option(
      names = "--events",
      paramLabel = "SIZES",
      description = "Input sizes, e.g. 1e5,1e6,1e7 (the default).")
  String events = "1e5,1e6,1e7";

  @Option(names = "--runs", paramLabel = "N", description = "Measured runs per size (3).")
  String runs = "3";

  @Option(names = "--warmups", paramLabel = "N", description = "Warm-up runs (1).")
  String warmups = "1";

  @Option(
      names = "--engines",
      paramLabel = "ENGINE,...",
      description = "direct, flink, spark, native-flink, java (all; stream: all but java).")
  String engines;

  @Option(
      names = "--budget",
      paramLabel = "DURATION",
      description = "Skip an engine whose next size would take longer a run (5m).")
  Duration budget = Duration.ofMinutes(5);

  @Option(
      names = "--trigger",
      paramLabel = "SPEC",
      description = {
        "early-firings: a --trigger of the jobs to compare, repeated (none, early=1000,",
        "early=1s); none is always measured, as the base of the ratios."
      })
  List<String> triggers = new ArrayList<>();

  @Option(
      names = "--rates",
      paramLabel = "RATES",
      description = {
        "stream: input rates in events/s, stepped up per engine until it falls behind",
        "(1000,2000,4000,8000,16000)."
      })
  String rates;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description = "stream: how long the feed writes at each rate (60s).")
  Duration duration;

  @Option(
      names = "--flink-variant",
      paramLabel = "FLAGS",
      description = {
        "stream: also run FlinkRunner with these flags, beside its defaults; repeat for more,",
        "e.g. --flink-variant='--fasterCopy --maxBundleTimeMills=100'."
      })
  List<String> flinkVariants = new ArrayList<>();

  @Option(names = "--heap", paramLabel = "SIZE", description = "Each run's -Xmx, e.g. 8g.")
  String heap = "8g";

  @Option(names = "--out", paramLabel = "DIR", description = "Tables and charts (target/bench).")
  String out = "target/bench";

  public static void main(String[] args) {
    System.exit(Cli.execute(new Bench(), "sluice bench", args, System.out, System.err));
  }

  @Override
  public Integer call() throws IOException {
    String args = String.join(" ", spec.commandLine().getParseResult().originalArgs());
    return new Bench.Session(settings(args), System.out, System.err).run();
  }

  /** The flags of one {@code ./sluice bench}, checked. */
  record BenchSettings(
      String mode,
      List<String> jobs,
      List<Long> events,
      int runs,
      int warmups,
      List<Engine> engines,
      List<String> triggers,
      List<Long> rates,
      Duration duration,
      List<List<String>> flinkVariants,
      Duration budget,
      String heap,
      Path out,
      Path root,
      String commandLine) {

    /**
     * The settings {@code args} ask for.
     *
     * @throws ParameterException for a bad flag; {@link Cli#message} says what is wrong
     */
    static BenchSettings parse(String[] args) {
      Bench bench = new Bench();
      Cli.commandLine(bench, "sluice bench", System.out, System.err).parseArgs(args);
      return bench.settings(String.join(" ", args));
    }
  }

  private BenchSettings settings(String argsText) {
    try {
      if (!mode.equals("batch") && !mode.equals("stream")) {
        throw Cli.usage(spec, "--mode: unknown '" + mode + "'; allowed: batch, stream");
      }
      boolean stream = mode.equals("stream");
      for (String flag :
          stream
              ? List.of("--events", "--runs", "--warmups", "--trigger", "--budget")
              : List.of("--rates", "--duration", "--flink-variant")) {
        if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
          throw Cli.usage(spec, flag + " is not a flag of --mode=" + mode);
        }
      }
      for (String variant : flinkVariants) {
        for (String flag : variant.trim().split("\\s+")) {
          if (!flag.matches("--[A-Za-z]+(=\\S+)?")) {
            throw Cli.usage(
                spec,
                "--flink-variant: '"
                    + flag
                    + "' is not a FlinkRunner flag; give flags like --fasterCopy"
                    + " --maxBundleTimeMills=100");
          }
        }
      }
      List<String> allowedJobs = stream ? STREAM_JOBS : JOBS;
      List<String> jobList =
          BenchFlags.namesOf(
              "--jobs", jobs == null ? String.join(",", allowedJobs) : jobs, allowedJobs);
      List<Long> rateList =
          BenchFlags.counts("--rates", rates == null ? "1000,2000,4000,8000,16000" : rates, 1)
              .stream()
              .sorted()
              .distinct()
              .toList();
      if (rateList.get(rateList.size() - 1) > 1_000_000) {
        throw Cli.usage(spec, "--rates: at most 1e6 events/s");
      }
      Duration feedTime = duration == null ? Duration.ofSeconds(60) : duration;
      if (feedTime.compareTo(Duration.ofSeconds(StreamBench.WARM_UP_SECONDS * 2)) < 0) {
        throw Cli.usage(
            spec,
            "--duration: at least "
                + StreamBench.WARM_UP_SECONDS * 2
                + "s (a warm-up of a third, at least "
                + StreamBench.WARM_UP_SECONDS
                + "s, comes first), was "
                + feedTime.toSeconds()
                + "s");
      }
      List<Long> sizes =
          BenchFlags.counts("--events", events, 1_000).stream().sorted().distinct().toList();
      if (sizes.get(sizes.size() - 1) > 50_000_000) {
        throw Cli.usage(
            spec, "--events: at most 5e7 per size (the generator keeps a size in memory)");
      }
      int runCount = (int) BenchFlags.count("--runs", runs, 1);
      int warmupCount = (int) BenchFlags.count("--warmups", warmups, 0);
      List<String> allowedEngines =
          stream ? StreamBench.ENGINES.stream().map(Engine::flag).toList() : Engine.flags();
      List<Engine> engineList =
          BenchFlags.namesOf(
                  "--engines",
                  engines == null ? String.join(",", allowedEngines) : engines,
                  allowedEngines)
              .stream()
              .map(Engine::of)
              .toList();
      List<String> triggerList = new ArrayList<>(List.of("none"));
      for (String trigger : triggers.isEmpty() ? EarlyFirings.DEFAULT_TRIGGERS : triggers) {
        if (!triggerList.contains(trigger)) {
          triggerList.add(EarlyFirings.checkTrigger(trigger));
        }
      }
      if (!heap.matches("\\d+[mg]")) {
        throw Cli.usage(
            spec, "--heap must be like 8g or 4096m (each run's -Xmx), was '" + heap + "'");
      }
      Path root = Path.of(System.getProperty("sluice.root", ".")).toAbsolutePath().normalize();
      return new BenchSettings(
          mode,
          jobList,
          sizes,
          runCount,
          warmupCount,
          engineList,
          List.copyOf(triggerList),
          rateList,
          feedTime,
          flinkVariants.stream().map(v -> List.of(v.trim().split("\\s+"))).toList(),
          budget,
          heap,
          root.resolve(out).normalize(),
          root,
          ("./sluice bench " + argsText).strip());
    } catch (IllegalArgumentException e) {
      throw Cli.usage(spec, e.getMessage());
    }
  }

  /** One run of the whole benchmark. */
  static final class Session {
    private final BenchSettings settings;
    private final PrintStream out;
    private final PrintStream progress;
    private final BenchReport report;

    Session(BenchSettings settings, PrintStream out, PrintStream progress) {
      this.settings = settings;
      this.out = out;
      this.progress = progress;
      this.report = new BenchReport(settings);
    }

    int run() throws IOException {
      Files.createDirectories(settings.out());
      report.machine(MachineInfo.now());
      boolean allSame = true;
      if (settings.mode().equals("stream")) {
        StreamBench streams = new StreamBench(settings, progress);
        allSame &= streams.measure();
        report.streams(streams);
      }
      for (String job : settings.mode().equals("stream") ? List.<String>of() : settings.jobs()) {
        switch (job) {
          case "kafka-read" -> report.kafkaRead(kafkaRead());
          case "early-firings" -> {
            EarlyFirings early = new EarlyFirings(settings, progress);
            allSame &= early.measure();
            report.earlyFirings(early.markdown());
          }
          case "sketch" -> {
            progress.println("bench: sketch: error and size per lgK, 10^3 to 10^7 distinct...");
            List<SketchFigures.Row> rows = SketchFigures.measure(SketchFigures.Settings.defaults());
            report.sketch(
                SketchFigures.markdownTable(rows) + "\n" + SketchFigures.targetSummary(rows));
          }
          case "partition" -> {
            progress.println(
                "bench: partition: balance by key and salted, uniform and Zipf keys...");
            List<PartitionFigures.Row> rows =
                PartitionFigures.measure(PartitionFigures.Settings.defaults());
            report.partition(
                PartitionFigures.markdownTable(rows) + "\n" + PartitionFigures.targetSummary(rows));
          }
          default -> allSame &= workload(Workload.named(job).orElseThrow());
        }
      }
      report.machineAfter(MachineInfo.now());
      String markdown = report.markdown();
      out.println(markdown);
      Path file = settings.out().resolve("benchmarks.md");
      Files.writeString(file, markdown, StandardCharsets.UTF_8);
      List<Path> charts = report.charts(settings.out());
      progress.printf(
          "bench: wrote %s and %s%n",
          file, charts.stream().map(Path::toString).collect(Collectors.joining(", ")));
      if (!allSame) {
        progress.println(
            "bench: some runs failed or their output differed from the plain-Java model: see the"
                + " tables (failed, DIFFERS) and the runs' logs under "
                + settings.out().resolve("runs"));
        return 1;
      }
      return 0;
    }

    /**
     * Runs one workload at every size on every engine; false if a run failed or its output
     * differed.
     */
    private boolean workload(Workload workload) throws IOException {
      String classpath = Engine.runnerClasspath(settings.root(), "benchmarks");
      boolean allSame = true;
      Map<Engine, Double> lastMedianWall = new EnumMap<>(Engine.class);
      long lastEvents = 0;
      for (int i = 0; i < settings.events().size(); i++) {
        long events = settings.events().get(i);
        Path data = data(workload, events);
        OutputFingerprint expected = null;
        // The first size begins with --warmups unmeasured runs per engine: no JIT to warm (each
        // run is a new JVM), but the page cache, the file system and the JDK's class data.
        int firstRun = i == 0 ? 1 - settings.warmups() : 1;
        Map<Engine, List<Measurement>> measured = new EnumMap<>(Engine.class);
        Map<Engine, String> skipped = new EnumMap<>(Engine.class);
        Map<Engine, Boolean> differs = new EnumMap<>(Engine.class);
        for (Engine engine : settings.engines()) {
          Double previous = lastMedianWall.get(engine);
          if (previous != null) {
            double predicted = previous * events / lastEvents;
            if (predicted > settings.budget().toSeconds()) {
              String why =
                  String.format(
                      Locale.ROOT,
                      "skipped: about %.0f s a run predicted, over --budget=%ds",
                      predicted,
                      settings.budget().toSeconds());
              skipped.put(engine, why);
              progress.printf(
                  "bench: %s %,d events on %s %s%n", workload.job(), events, engine.flag(), why);
            }
          }
        }
        for (int run = firstRun; run <= settings.runs(); run++) {
          for (Engine engine : settings.engines()) {
            if (skipped.containsKey(engine)) {
              continue;
            }
            Path dir =
                settings
                    .out()
                    .resolve("runs")
                    .resolve(workload.job() + "-" + events + "-" + engine.flag());
            deleteRecursively(dir);
            Files.createDirectories(dir);
            List<String> command =
                engine.command(
                    settings.root(), classpath, settings.heap(), workload.job(), data, dir);
            Measurement m;
            try {
              m = EngineRun.run(command, dir.resolve("run.log"), settings.budget().multipliedBy(3));
            } catch (IllegalStateException e) {
              skipped.put(engine, "failed: " + e.getMessage().lines().findFirst().orElse(""));
              progress.printf(
                  "bench: %s %,d on %s failed: %s%n",
                  workload.job(), events, engine.flag(), e.getMessage());
              allSame = false;
              continue;
            }
            OutputFingerprint got = OutputFingerprint.of(dir);
            if (expected == null) {
              expected =
                  engine == Engine.JAVA
                      ? got
                      : OutputFingerprint.ofExpected(workload.model(Files.readAllLines(data)));
            }
            boolean same = got.equals(expected);
            differs.merge(engine, !same, Boolean::logicalOr);
            allSame &= same;
            progress.printf(
                Locale.ROOT,
                "bench: %s %,d events, %s %s: job %.1f s, process %.1f s, peak %,d MB, %,d result"
                    + " lines%s%n",
                workload.job(),
                events,
                engine.flag(),
                run <= 0 ? "warm-up" : "run " + run + "/" + settings.runs(),
                m.jobSeconds(),
                m.wallSeconds(),
                m.peakRssBytes() >> 20,
                got.resultLines(),
                same ? "" : " — DIFFERS from the plain-Java model");
            if (run > 0) {
              measured.computeIfAbsent(engine, e -> new ArrayList<>()).add(m);
            }
          }
        }
        measured.forEach(
            (engine, ms) ->
                lastMedianWall.put(
                    engine,
                    BenchReport.median(
                        ms.stream().mapToDouble(Measurement::wallSeconds).toArray())));
        lastEvents = events;
        report.workload(workload.job(), events, measured, skipped, differs);
      }
      return allSame;
    }

    /**
     * The input of a workload at a size, generated once (deterministic) and kept under {@code
     * <out>/data}.
     */
    private Path data(Workload workload, long events) throws IOException {
      Path file = settings.out().resolve("data").resolve(workload.job() + "-" + events + ".jsonl");
      if (Files.isRegularFile(file)) {
        return file;
      }
      Files.createDirectories(file.getParent());
      progress.printf("bench: generating %,d %s events...%n", events, workload.generator());
      GeneratedEvents generated =
          Generators.named(workload.generator())
              .orElseThrow()
              .generate(workload.settings((int) events));
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      Files.write(partial, generated.lines(), StandardCharsets.UTF_8);
      Files.move(partial, file);
      return file;
    }

    /** KafkaIO's and Sluice's bounded reads against a plain consumer loop (its own broker). */
    private List<String> kafkaRead() throws IOException {
      long records = Math.min(settings.events().get(settings.events().size() - 1), 1_000_000);
      Path dir = Files.createDirectories(settings.out().resolve("runs").resolve("kafka-read"));
      List<String> command = Engine.java(settings.heap());
      command.addAll(
          List.of(
              "-cp",
              Engine.runnerClasspath(settings.root(), "direct"),
              "dev.sluice.runners.direct.KafkaReadBenchmark",
              "--records=" + records,
              "--partitions=4",
              "--runs=" + settings.runs()));
      progress.printf(
          "bench: kafka-read: %,d records, %d runs after a warm-up (own broker)...%n",
          records, settings.runs());
      Path log = dir.resolve("run.log");
      new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start()
          .onExit()
          .join();
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
