package dev.sluice.runners.direct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.generate.AccessLogGenerator;
import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.io.KafkaClients;
import dev.sluice.pipelines.logs.LogAnalytics;
import dev.sluice.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./sluice demo [--seconds=25]}: the quick start, live. It starts a Kafka broker in this
 * JVM, runs {@code log-analytics} on the DirectRunner reading a topic as a stream and writing its
 * results to topics, feeds the input topic an hour of generated access logs (event time) paced over
 * {@code --seconds} of wall-clock time, and prints each window's per-service figures as the
 * watermark closes it, alerts marked. Before that, while a window is open, its early results
 * ({@code --trigger=early=1s}) show its figures so far in one line each, marked {@code (early,
 * update N)}. Then it stops the job and the broker and deletes the broker's data, also on Ctrl-C.
 *
 * <p>Windows are 10 minutes every 5 minutes of event time; records may arrive up to a minute out of
 * order. The last windows of the hour stay open (no later record moves the watermark past them) and
 * are listed as such.
 */
@Command(
    name = "demo",
    description = "The quick start, live: log-analytics on a Kafka stream, windows as they close.")
public final class Demo implements Callable<Integer> {
  static final String INPUT_TOPIC = "access-logs";
  static final String OUTPUT_TOPIC = "log-analytics";
  static final String ALERTS_TOPIC = OUTPUT_TOPIC + ".alerts";
  static final org.joda.time.Duration WINDOW_SIZE = org.joda.time.Duration.standardMinutes(10);
  static final org.joda.time.Duration WINDOW_PERIOD = org.joda.time.Duration.standardMinutes(5);
  static final Duration OUT_OF_ORDER = Duration.ofMinutes(1);

  /**
   * Early results: a window's figures so far, a second of processing time after the first record of
   * each pane ({@code --trigger=early=1s}); at the default pace a window gets several.
   */
  static final Duration EARLY = Duration.ofSeconds(1);

  static final int SERVICES = 6;
  static final double ERROR_RATE_THRESHOLD = 0.05;
  static final int MIN_REQUESTS = 20;

  /** How long after a window's last final line the demo waits for more before printing it. */
  private static final Duration QUIET = Duration.ofMillis(1500);

  /**
   * How long after a window's last early line the demo waits before printing its figures so far:
   * the services' early panes of one firing arrive within a few hundred milliseconds.
   */
  private static final Duration EARLY_QUIET = Duration.ofMillis(400);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter HH_MM =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  static final String ROW = "%-13s  %-9s  %8s  %6s  %10s  %6s  %7s  %s%n";

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  @Option(
      names = "--seconds",
      paramLabel = "N",
      description = "Wall-clock seconds to feed the hour of logs over (5 to 600, default 25).")
  int seconds = 25;

  /** What to generate and how fast. */
  record Settings(int seconds, int events, long seed) {
    Settings {
      if (seconds < 5 || seconds > 600) {
        throw new IllegalArgumentException(
            "--seconds: " + seconds + " is not allowed; use 5 to 600");
      }
    }

    /** An hour of access logs from 09:00 UTC: six services, a few malformed lines, no late ones. */
    GeneratorSettings generator() {
      return GeneratorSettings.defaults()
          .withSeed(seed)
          .withEvents(events)
          .withStart(Instant.parse("2026-01-01T09:00:00Z"))
          .withSpan(Duration.ofHours(1))
          .withDisorder(Duration.ofSeconds(30))
          .withKeys(SERVICES)
          .withMalformed(0.01);
    }
  }

  public static void main(String[] args) {
    // Log4j must keep logging while the broker shuts down on Ctrl-C (its own hook would stop
    // first and complain), as in ./sluice kafka start.
    System.setProperty("log4j2.shutdownHookEnabled", "false");
    System.exit(Cli.execute(new Demo(), "sluice demo", args, System.out, System.err));
  }

  @Override
  public Integer call() {
    return run(settings(), System.out, System.err, true);
  }

  /**
   * The settings {@code args} ask for.
   *
   * @throws ParameterException for a bad flag; {@link Cli#message} says what is wrong
   */
  static Settings parse(String[] args) {
    Demo demo = new Demo();
    Cli.commandLine(demo, "sluice demo", System.out, System.err).parseArgs(args);
    return demo.settings();
  }

  private Settings settings() {
    try {
      return new Settings(seconds, 100 * seconds, 2026);
    } catch (IllegalArgumentException e) {
      throw Cli.usage(spec, e.getMessage());
    }
  }

  /**
   * Runs the demo; returns the exit code. With {@code onCtrlC}, a shutdown hook stops the job and
   * the broker if the JVM is interrupted.
   */
  static int run(Settings settings, PrintStream out, PrintStream err, boolean onCtrlC) {
    GeneratedEvents events = new AccessLogGenerator().generate(settings.generator());
    Resources resources = new Resources();
    Thread hook = new Thread(resources::close, "sluice-demo-cleanup");
    if (onCtrlC) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try {
      out.println("Starting a Kafka broker in this JVM...");
      KafkaBroker broker = resources.broker(KafkaBroker.start());
      broker.createTopic(INPUT_TOPIC, 2);
      broker.createTopic(OUTPUT_TOPIC, 1);
      broker.createTopic(ALERTS_TOPIC, 1);
      out.printf(
          "Kafka at %s. Starting log-analytics on the DirectRunner, streaming from topic %s to"
              + " topics %s and %s...%n",
          broker.bootstrapServers(), INPUT_TOPIC, OUTPUT_TOPIC, ALERTS_TOPIC);
      resources.job(startJob(broker));
      out.printf(
          "Feeding %,d access-log lines (Common, Combined and JSON; %d malformed on purpose) for"
              + " 09:00-10:00 UTC of event time over %d s of wall-clock time.%n",
          events.lines().size(), events.malformedLineNumbers().size(), settings.seconds());
      out.printf(
          "Windows: %d minutes every %d minutes of event time. While a window is open, its"
              + " early results (every %d s of processing time) show its figures so far, marked"
              + " (early, update N); its final figures are printed when the watermark passes its"
              + " end.%n"
              + "ALERT: 5xx responses >= %.0f %% of a service's requests, with at least %d"
              + " requests.%n%n",
          WINDOW_SIZE.getStandardMinutes(),
          WINDOW_PERIOD.getStandardMinutes(),
          EARLY.toSeconds(),
          ERROR_RATE_THRESHOLD * 100,
          MIN_REQUESTS);
      out.printf(
          ROW,
          "window (UTC)",
          "service",
          "requests",
          "errors",
          "error rate",
          "p95 ms",
          "clients",
          "");
      out.printf(
          ROW,
          "-".repeat(13),
          "-".repeat(9),
          "-".repeat(8),
          "-".repeat(6),
          "-".repeat(10),
          "-".repeat(6),
          "-".repeat(7),
          "");
      Table table = new Table(out);
      List<Long> closable = closableWindowEnds(events);
      KafkaProducer<String, String> producer = Topics.producer(broker.bootstrapServers());
      KafkaConsumer<String, String> consumer = null;
      try {
        consumer = Topics.consumer(broker.bootstrapServers());
        List<TopicPartition> results =
            List.of(new TopicPartition(OUTPUT_TOPIC, 0), new TopicPartition(ALERTS_TOPIC, 0));
        consumer.assign(results);
        consumer.seekToBeginning(results);
        long start = System.nanoTime();
        int sent = 0;
        long feedNanos = Duration.ofSeconds(settings.seconds()).toNanos();
        // The feed, then up to a minute more for the windows it closed.
        long deadline = start + feedNanos + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          double done = Math.min(1.0, (System.nanoTime() - start) / (double) feedNanos);
          int due = (int) Math.round(done * events.lines().size());
          if (due > sent) {
            sent = send(producer, events, sent, due);
          }
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
            table.add(record.topic(), record.value(), System.nanoTime());
          }
          table.printEarlyFigures(System.nanoTime());
          table.printQuietWindows(System.nanoTime(), start);
          if (sent == events.lines().size() && table.printedAll(closable)) {
            break;
          }
        }
        table.printQuietWindows(Long.MAX_VALUE, start);
        out.println();
        out.printf(
            "%d windows closed and printed (%d alerts). Still open, as the watermark stays %d"
                + " minute behind the last event time: %s.%n",
            table.printedWindows(),
            table.alerts(),
            OUT_OF_ORDER.toMinutes(),
            String.join(", ", openWindows(closable)));
        if (!table.printedAll(closable)) {
          err.printf(
              "sluice demo: only %d of the %d windows that the input closes were printed before"
                  + " the time limit; the machine may be busy.%n",
              table.printedWindows(), closable.size());
          return 1;
        }
      } finally {
        KafkaClients.close(consumer);
        KafkaClients.close(producer);
      }
      out.println("Stopping the job and the broker...");
      return 0;
    } catch (RuntimeException e) {
      err.println("sluice demo: failed: " + e);
      return 1;
    } finally {
      resources.close();
      if (onCtrlC) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is already shutting down: the hook runs (and finds nothing left to do)
        }
      }
    }
  }

  private static PipelineResult startJob(KafkaBroker broker) {
    String[] flags = {
      "--input="
          + broker.uri(INPUT_TOPIC)
          + "?out-of-order="
          + OUT_OF_ORDER.toSeconds()
          + "s&idle=1s",
      "--output=" + broker.uri(OUTPUT_TOPIC) + "?partitions=1",
      "--windowSize=" + WINDOW_SIZE.getStandardMinutes() + "m",
      "--windowPeriod=" + WINDOW_PERIOD.getStandardMinutes() + "m",
      "--errorRateThreshold=" + ERROR_RATE_THRESHOLD,
      "--minRequests=" + MIN_REQUESTS,
      "--trigger=early=" + EARLY.toSeconds() + "s"
    };
    LogAnalytics.Options options =
        PipelineOptionsFactory.fromArgs(flags).withValidation().as(LogAnalytics.Options.class);
    options.as(DirectOptions.class).setBlockOnRun(false);
    return LogAnalytics.build(options).run();
  }

  /** Sends lines {@code [from, to)} keyed by service, stamped with their event time. */
  private static int send(
      KafkaProducer<String, String> producer, GeneratedEvents events, int from, int to) {
    List<ProducerRecord<String, String>> batch = new ArrayList<>();
    for (int i = from; i < to; i++) {
      batch.add(
          new ProducerRecord<>(
              INPUT_TOPIC,
              i % 2,
              events.eventTimes().get(i),
              events.keys().get(i),
              events.lines().get(i)));
    }
    Topics.sendAll(producer, batch);
    return to;
  }

  /**
   * The ends of the windows the input closes: the watermark ends at the largest event time minus
   * the out-of-orderness, and a window closes when the watermark passes its end.
   */
  static List<Long> closableWindowEnds(GeneratedEvents events) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Long t : events.eventTimes()) {
      if (t != null) {
        min = Math.min(min, t);
        max = Math.max(max, t);
      }
    }
    long period = WINDOW_PERIOD.getMillis();
    long size = WINDOW_SIZE.getMillis();
    long watermark = max - OUT_OF_ORDER.toMillis();
    List<Long> ends = new ArrayList<>();
    for (long start = min - Math.floorMod(min, period) - size + period; ; start += period) {
      if (start + size > watermark) {
        break;
      }
      ends.add(start + size);
    }
    return ends;
  }

  private static List<String> openWindows(List<Long> closable) {
    List<String> open = new ArrayList<>();
    long lastClosed = closable.isEmpty() ? Long.MIN_VALUE : closable.get(closable.size() - 1);
    long end = lastClosed + WINDOW_PERIOD.getMillis();
    for (int i = 0; i < WINDOW_SIZE.getMillis() / WINDOW_PERIOD.getMillis(); i++) {
      open.add(windowLabel(end - WINDOW_SIZE.getMillis(), end));
      end += WINDOW_PERIOD.getMillis();
    }
    return open;
  }

  static String windowLabel(long start, long end) {
    return HH_MM.format(Instant.ofEpochMilli(start))
        + "-"
        + HH_MM.format(Instant.ofEpochMilli(end));
  }

  /** The result lines received, grouped by window, printed once a window has been quiet. */
  static final class Table {
    private final PrintStream out;

    /** window end → service → its final "all" line. */
    private final Map<Long, Map<String, JsonNode>> services = new TreeMap<>();

    /** window end → service → its latest early "all" line, until the window is printed. */
    private final Map<Long, Map<String, JsonNode>> early = new TreeMap<>();

    /** window end → when its latest early line not yet printed arrived. */
    private final Map<Long, Long> lastEarlyNanos = new TreeMap<>();

    /** window end → how many early updates of it were printed. */
    private final Map<Long, Integer> earlyUpdates = new TreeMap<>();

    private final Map<Long, TreeSet<String>> alerted = new TreeMap<>();
    private final Map<Long, Long> lastLineNanos = new TreeMap<>();
    private final TreeSet<Long> printed = new TreeSet<>();
    private int alerts;

    Table(PrintStream out) {
      this.out = out;
    }

    void add(String topic, String line, long nowNanos) {
      JsonNode node = read(line);
      long end = Instant.parse(node.get("window_end").asText()).toEpochMilli();
      String service = node.get("service").asText();
      if (topic.equals(ALERTS_TOPIC)) {
        alerted.computeIfAbsent(end, e -> new TreeSet<>()).add(service);
      } else if (!node.get("status_class").asText().equals("all")) {
        return; // the per-class lines are in the topic for whoever wants them
      } else if (node.get("pane").asText().equals("EARLY")) {
        if (!printed.contains(end) && !services.containsKey(end)) {
          early.computeIfAbsent(end, e -> new TreeMap<>()).put(service, node);
          lastEarlyNanos.put(end, nowNanos);
        }
        return; // printed by printEarlyFigures, not as the window's final table
      } else {
        services.computeIfAbsent(end, e -> new TreeMap<>()).put(service, node);
      }
      if (printed.contains(end)) {
        out.printf("(a line for %s arrived after it was printed: %s)%n", service, line);
      }
      lastLineNanos.put(end, nowNanos);
    }

    /**
     * Prints, for each window still open whose latest early lines are older than {@link
     * #EARLY_QUIET}, one line of its figures so far: requests and errors summed over the services
     * that have an early result (each service's window fires its own early panes, so one update may
     * hold the first pane of one and the third of another), numbered from 1 per window.
     */
    void printEarlyFigures(long nowNanos) {
      for (var it = lastEarlyNanos.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Long, Long> window = it.next();
        long end = window.getKey();
        if (nowNanos - window.getValue() < EARLY_QUIET.toNanos()) {
          continue;
        }
        it.remove();
        if (services.containsKey(end)) {
          continue; // its final lines are here: the window is printed whole, soon
        }
        Map<String, JsonNode> rows = early.get(end);
        long requests = 0;
        long errors = 0;
        for (JsonNode row : rows.values()) {
          requests += row.get("requests").asLong();
          errors += row.get("errors").asLong();
        }
        out.printf(
            Locale.ROOT,
            "%-13s  (early, update %d)  %,d requests so far, %,d errors (%.2f %%)%s%n",
            windowLabel(end - WINDOW_SIZE.getMillis(), end),
            earlyUpdates.merge(end, 1, Integer::sum),
            requests,
            errors,
            requests == 0 ? 0.0 : errors * 100.0 / requests,
            rows.size() < SERVICES ? ", " + rows.size() + " of " + SERVICES + " services" : "");
      }
    }

    /** Prints, in window order, every window whose last line is older than {@link #QUIET}. */
    void printQuietWindows(long nowNanos, long startNanos) {
      for (Map.Entry<Long, Long> window : lastLineNanos.entrySet()) {
        long end = window.getKey();
        if (printed.contains(end) || nowNanos - window.getValue() < QUIET.toNanos()) {
          continue;
        }
        printed.add(end);
        early.remove(end);
        lastEarlyNanos.remove(end);
        earlyUpdates.remove(end);
        Map<String, JsonNode> rows = services.getOrDefault(end, Map.of());
        String label = windowLabel(end - WINDOW_SIZE.getMillis(), end);
        for (JsonNode row : rows.values()) {
          boolean alert =
              alerted.getOrDefault(end, new TreeSet<>()).contains(row.get("service").asText());
          alerts += alert ? 1 : 0;
          out.printf(
              ROW,
              label,
              row.get("service").asText(),
              row.get("requests").asLong(),
              row.get("errors").asLong(),
              String.format(Locale.ROOT, "%.2f %%", row.get("error_rate").asDouble() * 100),
              row.has("p95_ms") ? row.get("p95_ms").asText() : "-",
              row.get("distinct_clients").asLong(),
              alert ? "<< ALERT" : "");
          label = "";
        }
        out.printf(
            "%13s  (closed %.1f s after the feed began)%n",
            "", Math.max(0, (Math.min(nowNanos, System.nanoTime()) - startNanos) / 1e9));
      }
    }

    boolean printedAll(List<Long> windowEnds) {
      return printed.containsAll(windowEnds);
    }

    int printedWindows() {
      return printed.size();
    }

    int alerts() {
      return alerts;
    }

    private static JsonNode read(String line) {
      try {
        return JSON.readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException("not a result line: " + line, e);
      }
    }
  }

  /** The job and the broker, stopped once, by the demo's end or by Ctrl-C, whichever is first. */
  private static final class Resources {
    private KafkaBroker broker;
    private PipelineResult job;
    private boolean closed;

    synchronized KafkaBroker broker(KafkaBroker value) {
      broker = value;
      if (closed) {
        close();
      }
      return value;
    }

    synchronized void job(PipelineResult value) {
      job = value;
      if (closed) {
        close();
      }
    }

    synchronized void close() {
      closed = true;
      if (job != null) {
        try {
          job.cancel();
        } catch (IOException | RuntimeException e) {
          // stopping anyway
        }
        job = null;
      }
      if (broker != null) {
        broker.close();
        broker = null;
      }
    }
  }
}
