package dev.sluice.runners.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.kafka.KafkaService;
import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.io.KafkaClients;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.testing.kafka.KafkaEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * {@code ./sluice bench --mode=stream}: each job as a live Kafka stream on every engine, at input
 * rates stepped up until the engine no longer keeps up.
 *
 * <p>One run: a Kafka broker in its own JVM ({@code ./sluice kafka start}'s); the engine started in
 * its own JVM on a new input topic (2 partitions, {@code out-of-order=}{@value
 * #OUT_OF_ORDER_SECONDS} {@code s}) and output topics whose records take the broker's append time
 * ({@code LogAppendTime}); once its job runs, {@link StreamFeed} in its own JVM writes the job's
 * events at the rate for the run's duration, each with event time = the time it is written. The run
 * then waits (at most a minute, or the duration if longer) for the result of every window that the
 * last event closes (window end ≤ last event time − the out-of-order bound − 1 s), and stops the
 * engine.
 *
 * <p>Measured per run: the results of those windows against the job's reference model over the
 * records the input topic holds (every line, exactly); the <b>event-time latency</b> of each result
 * (its record's append time − its window's end; the least possible is the out-of-order bound) for
 * the windows ending after the warm-up (a third of the run, at least {@value #WARM_UP_SECONDS} s);
 * whether the engine <b>kept up</b> (every result arrived, the median latency of the last third of
 * the windows is at most 1 s above the first third's, and the feed's last write was at most 1 s
 * behind its schedule: on 2 cores the feed shares them with the engine); the engine process's CPU
 * seconds per 10⁶ events (from the feed's start to the last result) and its peak resident memory.
 * An engine's <b>sustainable rate</b> is the highest rate it kept up with; once it falls behind,
 * higher rates are not tried on it.
 */
final class StreamBench {
  static final int OUT_OF_ORDER_SECONDS = 1;

  /** The least warm-up: the windows ending in it are checked but left out of the latencies. */
  static final int WARM_UP_SECONDS = 10;

  /** The jobs' windows in the streaming benchmark: short, so a run of a minute closes many. */
  static final Duration WINDOW_SIZE = Duration.ofSeconds(10);

  static final Duration WINDOW_PERIOD = Duration.ofSeconds(2);

  /** The engines that can run a stream (Spark's refusal is reported, not skipped). */
  static final List<Engine> ENGINES =
      List.of(Engine.DIRECT, Engine.FLINK, Engine.SPARK, Engine.NATIVE_FLINK);

  static final String NO_NATIVE_JOB = "no native Flink version of this job";

  private static final int PARTITIONS = 2;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FEED =
      Pattern.compile(
          "feed: (\\d+) records, first (\\S+), last (\\S+), at most \\d+ ms behind schedule, (\\d+)"
              + " ms at the end");

  private final Bench.BenchSettings settings;
  private final PrintStream progress;

  /** job → engine → the runs, by rate. */
  private final Map<String, Map<Contender, List<Run>>> runs = new LinkedHashMap<>();

  /**
   * One run of a job on an engine at a rate.
   *
   * @param notRun why it did not run or failed (null when it ran)
   * @param latenciesMillis the results' event-time latencies after the warm-up, sorted
   * @param feedBehindMillis how far behind its schedule the feed's last write was
   * @param lagGrowthMillis median latency of the last third of the windows − the first third's
   */
  record Run(
      int rate,
      String notRun,
      long events,
      long checked,
      long expected,
      boolean same,
      long feedBehindMillis,
      long[] latenciesMillis,
      long lagGrowthMillis,
      double cpuSeconds,
      long peakRssBytes) {

    boolean keptUp() {
      return verdict().equals("yes");
    }

    /** "yes", or "no" and why: what the engine did not keep up with. */
    String verdict() {
      List<String> why = new ArrayList<>();
      if (!same) {
        why.add("results differ");
      }
      if (checked < expected) {
        why.add(String.format(Locale.ROOT, "%,d results missing", expected - checked));
      }
      if (lagGrowthMillis > 1_000) {
        why.add(String.format(Locale.ROOT, "latency grew %.1f s", lagGrowthMillis / 1e3));
      }
      if (feedBehindMillis > 1_000) {
        why.add(String.format(Locale.ROOT, "the feed fell %.1f s behind", feedBehindMillis / 1e3));
      }
      return notRun != null ? "no" : why.isEmpty() ? "yes" : "no: " + String.join(", ", why);
    }

    /** Whether it is expected not to run: Spark refuses a windowed stream; no native job. */
    boolean expectedNotToRun() {
      return notRun != null && (notRun.startsWith("sluice:") || notRun.equals(NO_NATIVE_JOB));
    }

    static Run notRun(int rate, String why) {
      return new Run(rate, why, 0, 0, 0, false, 0, new long[0], 0, 0, 0);
    }

    /** p50 / p95 / p99 / max in seconds, or why there are none. */
    String latencies() {
      if (latenciesMillis.length == 0) {
        return "no result after the warm-up";
      }
      return String.format(
          Locale.ROOT,
          "%.2f / %.2f / %.2f / %.2f",
          percentile(50) / 1e3,
          percentile(95) / 1e3,
          percentile(99) / 1e3,
          percentile(100) / 1e3);
    }

    long percentile(double p) {
      if (latenciesMillis.length == 0) {
        return -1;
      }
      int i = (int) Math.ceil(p / 100 * latenciesMillis.length) - 1;
      return latenciesMillis[Math.max(0, Math.min(latenciesMillis.length - 1, i))];
    }
  }

  StreamBench(Bench.BenchSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs every job on every engine at the rates; false if a run failed or differed. */
  boolean measure() throws IOException {
    Path brokerDir = settings.out().resolve("kafka");
    Bench.deleteRecursively(brokerDir);
    KafkaService kafka = new KafkaService(brokerDir, progress, progress);
    // Stopped mid-way (Ctrl-C, SIGTERM), the bench leaves no broker, engine or feed behind: its
    // child processes, by PID.
    Thread stopChildren =
        new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy));
    Runtime.getRuntime().addShutdownHook(stopChildren);
    boolean allSame = true;
    try {
      progress.println("bench: stream: starting a Kafka broker in its own JVM...");
      if (kafka.start(brokerDir, 0, "6h") != 0) {
        throw new IllegalStateException("the benchmark's Kafka broker did not start");
      }
      KafkaEndpoint broker = KafkaEndpoint.at(kafka.bootstrap(brokerDir).orElseThrow());
      for (String job : settings.jobs()) {
        Workload workload = Workload.named(job).orElseThrow();
        Map<Contender, List<Run>> byEngine = runs.computeIfAbsent(job, j -> new LinkedHashMap<>());
        List<Contender> stepping = new ArrayList<>();
        for (Engine engine : settings.engines()) {
          stepping.add(Contender.of(engine));
          if (engine == Engine.FLINK) {
            settings.flinkVariants().forEach(v -> stepping.add(new Contender(engine, v)));
          }
        }
        for (long rate : settings.rates()) {
          // The engines take turns at each rate, so a change of load falls on all of them.
          for (Contender contender : List.copyOf(stepping)) {
            Run run = run(broker, workload, contender, (int) rate);
            byEngine.computeIfAbsent(contender, e -> new ArrayList<>()).add(run);
            allSame &= run.notRun() == null ? run.same() : run.expectedNotToRun();
            if (!run.keptUp()) {
              stepping.remove(contender);
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      Runtime.getRuntime().removeShutdownHook(stopChildren);
      try {
        kafka.stop(brokerDir);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return allSame;
  }

  private Run run(KafkaEndpoint broker, Workload workload, Contender contender, int rate)
      throws IOException {
    Engine engine = contender.engine();
    if (engine == Engine.NATIVE_FLINK && workload.nativeFlinkJob().isEmpty()) {
      return Run.notRun(rate, NO_NATIVE_JOB);
    }
    String name = workload.job() + "-" + contender.name() + "-" + rate;
    Path dir = settings.out().resolve("runs").resolve("stream-" + name);
    Bench.deleteRecursively(dir);
    Files.createDirectories(dir);
    String input = name + "-in";
    String output = name + "-out";
    broker.createTopic(input, PARTITIONS);
    List<String> outputs = new ArrayList<>(workload.model(List.of()).keySet());
    outputs.add(WriteLines.DEAD_LETTERS_SUFFIX);
    for (String suffix : outputs) {
      broker.createTopic(
          output + suffix, PARTITIONS, Map.of("message.timestamp.type", "LogAppendTime"));
    }
    List<String> command =
        engine.streamCommand(
            settings.root(),
            settings.heap(),
            workload.job(),
            broker.uri(input) + "?out-of-order=" + OUT_OF_ORDER_SECONDS + "s",
            broker.uri(output) + "?partitions=" + PARTITIONS,
            jobFlags(contender));
    progress.printf(
        "bench: stream %s on %s at %,d events/s for %d s...%n",
        workload.job(), contender.label(), rate, settings.duration().toSeconds());
    try (LiveStream stream = LiveStream.start(command, dir.resolve("run.log"));
        Written written = new Written(broker, output, outputs)) {
      try {
        stream.awaitLaunched(Duration.ofMinutes(3));
      } catch (IllegalStateException e) {
        String why = firstRefusal(e.getMessage());
        progress.printf("bench: stream %s: did not run: %s%n", name, why);
        return Run.notRun(rate, why);
      }
      double cpuBefore = stream.cpuSeconds();
      Feed feed = feed(broker, input, workload, rate, dir, stream, written);
      long cutoff = feed.last().toEpochMilli() - OUT_OF_ORDER_SECONDS * 1000L - 1000;
      Map<String, List<String>> expected =
          closedWindows(
              workload
                  .model()
                  .compute(
                      readValues(broker, input),
                      Workload.joda(WINDOW_SIZE),
                      Workload.joda(WINDOW_PERIOD)),
              cutoff);
      long expectedLines = expected.values().stream().mapToLong(List::size).sum();
      long deadline =
          System.nanoTime()
              + Math.max(Duration.ofMinutes(1).toNanos(), settings.duration().toNanos());
      while (written.linesUpTo(cutoff) < expectedLines && System.nanoTime() < deadline) {
        stream.checkRunning();
        written.poll();
      }
      double cpu = stream.cpuSeconds() - cpuBefore;
      long peak = stream.peakRssBytes();
      Map<String, List<String>> got = written.linesUpTo(cutoff, expected.keySet());
      long checked = got.values().stream().mapToLong(List::size).sum();
      boolean same = eachLineExpected(got, expected);
      long warmUpEnd = feed.first().toEpochMilli() + warmUp(settings.duration()).toMillis();
      Run run =
          new Run(
              rate,
              null,
              feed.records(),
              checked,
              expectedLines,
              same,
              feed.behindMillis(),
              written.latencies(warmUpEnd, cutoff),
              written.lagGrowth(warmUpEnd, cutoff),
              cpu,
              peak);
      progress.printf(
          "bench: stream %s on %s at %,d/s: %,d events, %,d of %,d results%s, latency s"
              + " p50/p95/p99/max %s, lag growth %.1f s, %s%n",
          workload.job(),
          contender.label(),
          rate,
          run.events(),
          checked,
          expectedLines,
          same ? (checked == expectedLines ? " (= model)" : "") : " (DIFFER from the model)",
          run.latencies(),
          run.lagGrowthMillis() / 1e3,
          run.keptUp() ? "kept up" : "did not keep up (" + run.verdict().substring(4) + ")");
      return run;
    } catch (IllegalStateException e) {
      progress.printf("bench: stream %s failed: %s%n", name, e.getMessage());
      return Run.notRun(rate, "failed: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /**
   * The start of a run left out of its latencies: a third of it, at least {@value #WARM_UP_SECONDS}
   * s. An engine whose job was submitted may still be deploying its tasks and connecting to the
   * broker when the feed starts (FlinkRunner took ~20 s to catch up here).
   */
  static Duration warmUp(Duration duration) {
    return Duration.ofSeconds(Math.max(WARM_UP_SECONDS, duration.toSeconds() / 3));
  }

  /** The job's flags: the bench's windows, then the contender's own. */
  private static List<String> jobFlags(Contender contender) {
    List<String> flags = new ArrayList<>();
    flags.add("--windowSize=" + WINDOW_SIZE.toSeconds() + "s");
    flags.add("--windowPeriod=" + WINDOW_PERIOD.toSeconds() + "s");
    flags.addAll(contender.flags());
    return flags;
  }

  /**
   * What the feed wrote: how many records, the first and last event times, how late its last write
   * was.
   */
  private record Feed(long records, Instant first, Instant last, long behindMillis) {}

  /** Runs {@link StreamFeed} in its own JVM, reading the job's results while it writes. */
  private Feed feed(
      KafkaEndpoint broker,
      String topic,
      Workload workload,
      int rate,
      Path dir,
      LiveStream stream,
      Written written)
      throws IOException {
    List<String> command = Engine.java("1g");
    command.addAll(
        List.of(
            "-cp",
            Engine.runnerClasspath(settings.root(), "benchmarks"),
            StreamFeed.class.getName(),
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=" + topic,
            "--job=" + workload.job(),
            "--rate=" + rate,
            "--duration=" + settings.duration().toSeconds() + "s",
            "--partitions=" + PARTITIONS));
    Path log = dir.resolve("feed.log");
    Process feed =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + settings.duration().plusMinutes(2).toNanos();
    try {
      while (feed.isAlive()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the feed did not end in time (see " + log + ")");
        }
        stream.checkRunning();
        written.poll();
      }
    } finally {
      feed.destroy();
      try {
        feed.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    Matcher m = FEED.matcher(text);
    if (feed.exitValue() != 0 || !m.find()) {
      throw new IllegalStateException("the feed failed (see " + log + "): " + text.strip());
    }
    return new Feed(
        Long.parseLong(m.group(1)),
        Instant.parse(m.group(2)),
        Instant.parse(m.group(3)),
        Long.parseLong(m.group(4)));
  }

  /** The first line of a stream's log that says why it did not start (a refusal). */
  private static String firstRefusal(String message) {
    return message
        .lines()
        .map(String::strip)
        .filter(l -> l.startsWith("sluice:") || l.contains("Exception"))
        .findFirst()
        .orElse(message.lines().findFirst().orElse(""));
  }

  /** Every value of {@code topic}, read from its start to its end now. */
  private static List<String> readValues(KafkaEndpoint broker, String topic) {
    return Topics.readRange(broker.bootstrapServers(), topic, Duration.ofMinutes(2)).stream()
        .map(ConsumerRecord::value)
        .toList();
  }

  /**
   * Whether every line {@code got} is one of {@code expected}'s, each at most as often: with as
   * many lines, the two are equal; with fewer, a run that fell behind wrote nothing wrong.
   */
  static boolean eachLineExpected(
      Map<String, List<String>> got, Map<String, List<String>> expected) {
    for (Map.Entry<String, List<String>> output : got.entrySet()) {
      Map<String, Integer> left = new HashMap<>();
      expected
          .getOrDefault(output.getKey(), List.of())
          .forEach(l -> left.merge(l, 1, Integer::sum));
      for (String line : output.getValue()) {
        if (left.merge(line, -1, Integer::sum) < 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** The lines of each output whose window ends by {@code cutoff} (epoch millis). */
  private static Map<String, List<String>> closedWindows(
      Map<String, List<String>> outputs, long cutoff) {
    Map<String, List<String>> closed = new TreeMap<>();
    outputs.forEach(
        (output, lines) ->
            closed.put(output, lines.stream().filter(l -> windowEnd(l) <= cutoff).toList()));
    return closed;
  }

  private static long windowEnd(String line) {
    try {
      return Instant.parse(JSON.readTree(line).path("window_end").asText()).toEpochMilli();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("a result line without a window_end: " + line, e);
    }
  }

  /** A run's results as they arrive: each line with its output and its record's append time. */
  private static final class Written implements AutoCloseable {
    private record Result(String output, String line, long windowEnd, long appendTime) {}

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, String> outputOfTopic = new TreeMap<>();
    private final List<Result> results = new ArrayList<>();

    Written(KafkaEndpoint broker, String topic, List<String> outputs) {
      // No record is malformed: a dead letter would show as a missing result, so it is not read.
      List<String> results =
          outputs.stream().filter(o -> !o.equals(WriteLines.DEAD_LETTERS_SUFFIX)).toList();
      consumer = OutputTopics.readFromStart(broker, topic, results, PARTITIONS, outputOfTopic);
    }

    /** Reads what arrived within 100 ms. */
    void poll() {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
        results.add(
            new Result(
                outputOfTopic.get(r.topic()), r.value(), windowEnd(r.value()), r.timestamp()));
      }
    }

    long linesUpTo(long cutoff) {
      return results.stream().filter(r -> r.windowEnd() <= cutoff).count();
    }

    Map<String, List<String>> linesUpTo(long cutoff, Iterable<String> outputs) {
      Map<String, List<String>> lines = new TreeMap<>();
      outputs.forEach(o -> lines.put(o, new ArrayList<>()));
      results.stream()
          .filter(r -> r.windowEnd() <= cutoff)
          .forEach(r -> lines.computeIfAbsent(r.output(), o -> new ArrayList<>()).add(r.line()));
      return lines;
    }

    /** The latencies of the results of windows ending in (from, to], sorted. */
    long[] latencies(long from, long to) {
      return results.stream()
          .filter(r -> r.windowEnd() > from && r.windowEnd() <= to)
          .mapToLong(r -> r.appendTime() - r.windowEnd())
          .sorted()
          .toArray();
    }

    /**
     * How much later the last third of the windows in (from, to] came than the first third: the
     * median latency of each third's results, subtracted. A job that keeps up has none.
     */
    long lagGrowth(long from, long to) {
      long third = (to - from) / 3;
      long[] first = latencies(from, from + third);
      long[] last = latencies(to - third, to);
      if (first.length == 0 || last.length == 0) {
        return 0;
      }
      return last[last.length / 2] - first[first.length / 2];
    }

    @Override
    public void close() {
      KafkaClients.close(consumer);
    }
  }

  /** The report's section: per job, each engine at each rate, then a summary per job. */
  String markdown() {
    StringBuilder md = new StringBuilder("## Streams: throughput and event-time latency\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Each job as a live stream: Kafka in, Kafka out (a broker in its own JVM, topics of 2"
                + " partitions), windows of %d s every %d s, `out-of-order=%ds` (the least possible"
                + " latency), every engine at parallelism 2 in its own JVM (`-Xmx%s`). A feed in"
                + " its own JVM writes the job's events at the **rate** for %d s, event time = time"
                + " of writing. **latency** = a result record's broker append time − its window's"
                + " end, over the windows ending after the first %d s (warm-up). **kept up**: every"
                + " result arrived, latency did not grow (last third's median − first third's ≤ 1"
                + " s) and the feed's last write was ≤ 1 s behind its schedule. **CPU** = the"
                + " engine process's CPU seconds per 10⁶ events. **results**: the closed windows'"
                + " results against the reference model over what the input topic holds.%n%n",
            WINDOW_SIZE.toSeconds(),
            WINDOW_PERIOD.toSeconds(),
            OUT_OF_ORDER_SECONDS,
            settings.heap(),
            settings.duration().toSeconds(),
            warmUp(settings.duration()).toSeconds()));
    runs.forEach(
        (job, byEngine) -> {
          md.append("### ").append(job).append(" (stream)\n\n");
          md.append(
              "| engine | rate ev/s | kept up | results | latency p50 / p95 / p99 / max s | lag"
                  + " growth s | CPU s per 10⁶ ev | peak MB |\n");
          md.append("|---|---:|---|---:|---:|---:|---:|---:|\n");
          byEngine.forEach((engine, list) -> list.forEach(run -> row(md, engine, run)));
          md.append('\n');
          md.append("| engine | sustainable rate ev/s | ÷ native Flink |\n|---|---:|---:|\n");
          int nativeRate = sustainable(byEngine.get(Contender.of(Engine.NATIVE_FLINK)));
          byEngine.forEach(
              (engine, list) -> {
                int rate = sustainable(list);
                md.append("| ")
                    .append(engine.label())
                    .append(" | ")
                    .append(rate > 0 ? String.format("%,d", rate) : "none of those tried")
                    .append(" | ")
                    .append(
                        rate > 0 && nativeRate > 0
                            ? String.format(Locale.ROOT, "%.2f", (double) rate / nativeRate)
                            : "")
                    .append(" |\n");
              });
          md.append('\n');
        });
    targets(md);
    return md.toString();
  }

  /**
   * The targets: FlinkRunner's sustainable rate ≥ 0.5× native Flink's, and its p99 latency at half
   * its sustainable rate ≤ native Flink's p99 at that rate + 1 s.
   */
  private void targets(StringBuilder md) {
    md.append("### Targets (stream)\n\n| target | measured | met |\n|---|---|---|\n");
    runs.forEach(
        (job, byEngine) -> {
          List<Run> flink = byEngine.get(Contender.of(Engine.FLINK));
          List<Run> nativeFlink = byEngine.get(Contender.of(Engine.NATIVE_FLINK));
          if (flink == null || nativeFlink == null) {
            return;
          }
          int flinkRate = sustainable(flink);
          int nativeRate = sustainable(nativeFlink);
          String ratio =
              nativeRate == 0
                  ? "native Flink kept up with none of the rates"
                  : String.format(
                      Locale.ROOT,
                      "%,d ÷ %,d ev/s = %.2f×%s",
                      flinkRate,
                      nativeRate,
                      (double) flinkRate / nativeRate,
                      nativeRate == maxRate(nativeFlink)
                          ? " (native kept up with the highest rate tried: a bound)"
                          : "");
          md.append(
              String.format(
                  "| %s: FlinkRunner sustainable rate ≥ 0.5× native Flink | %s | %s |%n",
                  job, ratio, nativeRate > 0 && flinkRate >= 0.5 * nativeRate ? "yes" : "**no**"));
          int half = flinkRate / 2;
          Run flinkHalf = at(flink, half);
          Run nativeHalf = at(nativeFlink, half);
          if (flinkHalf == null || nativeHalf == null) {
            md.append(
                String.format(
                    "| %s: FlinkRunner p99 at half its sustainable rate ≤ native p99 + 1 s | not"
                        + " measured: no run of both at %,d ev/s | |%n",
                    job, half));
            return;
          }
          long flinkP99 = flinkHalf.percentile(99);
          long nativeP99 = nativeHalf.percentile(99);
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %s: FlinkRunner p99 at half its sustainable rate ≤ native p99 + 1 s | %.2f s"
                      + " vs %.2f s at %,d ev/s | %s |%n",
                  job,
                  flinkP99 / 1e3,
                  nativeP99 / 1e3,
                  half,
                  flinkP99 <= nativeP99 + 1_000 ? "yes" : "**no**"));
        });
    md.append('\n');
  }

  private static Run at(List<Run> list, int rate) {
    return list.stream()
        .filter(r -> r.rate() == rate && r.notRun() == null)
        .findFirst()
        .orElse(null);
  }

  private static int maxRate(List<Run> list) {
    return list.stream().mapToInt(Run::rate).max().orElse(0);
  }

  /**
   * Per job, the latency CDF of each engine at the highest rate every engine that ran kept up with
   * (else each engine's first rate), and p50 and p99 latency by input rate.
   */
  List<Path> charts(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, Map<Contender, List<Run>>> job : runs.entrySet()) {
      Map<Contender, List<Run>> ran = new LinkedHashMap<>();
      job.getValue()
          .forEach(
              (engine, list) -> {
                List<Run> measured = list.stream().filter(r -> r.notRun() == null).toList();
                if (!measured.isEmpty()) {
                  ran.put(engine, measured);
                }
              });
      if (ran.isEmpty()) {
        continue;
      }
      int common = ran.values().stream().mapToInt(StreamBench::sustainable).min().orElse(0);
      XYChart cdf =
          new XYChartBuilder()
              .width(800)
              .height(500)
              .title(job.getKey() + ": event-time latency CDF")
              .xAxisTitle("latency s (append time − window end)")
              .yAxisTitle("share of results")
              .build();
      cdf.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
      cdf.getStyler().setMarkerSize(0);
      XYChart byRate =
          new XYChartBuilder()
              .width(800)
              .height(500)
              .title(job.getKey() + ": latency by input rate")
              .xAxisTitle("events/s")
              .yAxisTitle("latency s")
              .build();
      byRate.getStyler().setXAxisLogarithmic(true);
      byRate.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
      ran.forEach(
          (engine, list) -> {
            Run shown = common > 0 ? at(list, common) : list.get(0);
            long[] latencies = shown == null ? new long[0] : shown.latenciesMillis();
            if (latencies.length > 0) {
              List<Double> xs = new ArrayList<>();
              List<Double> ys = new ArrayList<>();
              for (int i = 0; i < latencies.length; i++) {
                xs.add(latencies[i] / 1e3);
                ys.add((i + 1.0) / latencies.length);
              }
              cdf.addSeries(String.format("%s, %,d ev/s", engine.label(), shown.rate()), xs, ys);
            }
            List<Run> withLatency =
                list.stream().filter(r -> r.latenciesMillis().length > 0).toList();
            if (!withLatency.isEmpty()) {
              List<Double> rates = withLatency.stream().map(r -> (double) r.rate()).toList();
              byRate.addSeries(
                  engine.label() + " p50",
                  rates,
                  withLatency.stream().map(r -> r.percentile(50) / 1e3).toList());
              byRate.addSeries(
                  engine.label() + " p99",
                  rates,
                  withLatency.stream().map(r -> r.percentile(99) / 1e3).toList());
            }
          });
      if (!cdf.getSeriesMap().isEmpty()) {
        Path file = dir.resolve("stream-latency-cdf-" + job.getKey() + ".png");
        BitmapEncoder.saveBitmap(cdf, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        files.add(file);
      }
      if (!byRate.getSeriesMap().isEmpty()) {
        Path file = dir.resolve("stream-latency-by-rate-" + job.getKey() + ".png");
        BitmapEncoder.saveBitmap(byRate, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        files.add(file);
      }
    }
    return files;
  }

  /**
   * An engine with the flags it runs the job with beyond the bench's own: FlinkRunner's tuning
   * flags ({@code --flink-variant}), measured beside its defaults.
   */
  record Contender(Engine engine, List<String> flags) {
    static Contender of(Engine engine) {
      return new Contender(engine, List.of());
    }

    /** Its name in the tables (Spark runs a windowed stream in one split only). */
    String label() {
      String base =
          engine == Engine.SPARK ? "Beam, SparkRunner local[1] (one split)" : engine.label();
      return flags.isEmpty() ? base : base + " `" + String.join(" ", flags) + "`";
    }

    /** Its part of a run's folder and topic names. */
    String name() {
      return flags.isEmpty()
          ? engine.flag()
          : engine.flag() + "-" + String.join("", flags).replaceAll("[^A-Za-z0-9]+", "");
    }
  }

  /** The highest rate the engine kept up with (0 if none). */
  static int sustainable(List<Run> list) {
    if (list == null) {
      return 0;
    }
    return list.stream().filter(Run::keptUp).mapToInt(Run::rate).max().orElse(0);
  }

  private static void row(StringBuilder md, Contender engine, Run run) {
    if (run.notRun() != null) {
      md.append(
          String.format(
              "| %s | %,d | %s | | | | | |%n",
              engine.label(), run.rate(), run.notRun().replace("|", "\\|")));
      return;
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %,d | %s | %,d of %,d %s | %s | %.2f | %.1f | %,d |%n",
            engine.label(),
            run.rate(),
            run.verdict(),
            run.checked(),
            run.expected(),
            run.same() ? (run.checked() == run.expected() ? "= model" : "") : "DIFFER",
            run.latencies(),
            run.lagGrowthMillis() / 1e3,
            run.events() == 0 ? 0 : run.cpuSeconds() / run.events() * 1e6,
            run.peakRssBytes() >> 20));
  }

  /** Every run's figures (for the charts). */
  Map<String, Map<Contender, List<Run>>> runs() {
    return runs;
  }
}
