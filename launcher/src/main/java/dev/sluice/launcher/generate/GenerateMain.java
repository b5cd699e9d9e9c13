package dev.sluice.launcher.generate;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.io.KafkaClients;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./sluice generate list} and {@code ./sluice generate <kind> --events=N
 * --output=file:PATH|kafka://host:port/topic [knobs]}: writes a generator's records to a JSON-lines
 * file, or to a Kafka topic with each record's Kafka timestamp set to its event time (created with
 * {@code --partitions} if missing). Flags follow {@link Cli}'s grammar. Exit 0, 2 for a bad command
 * or flag, 1 if writing failed. A broker that does not answer fails the command after {@link
 * #KAFKA_TIMEOUT} (and at most {@link KafkaClients#CLOSE_TIMEOUT} more to close the client), in one
 * line naming its address.
 */
@Command(
    name = "generate",
    description = {
      "Deterministic events for a job, to a JSON-lines file or a Kafka topic.",
      "KIND is a generator: ./sluice generate list shows them."
    },
    subcommands = GenerateMain.ListKinds.class)
public final class GenerateMain implements Callable<Integer> {
  /** The longest the broker may take to answer before a write to Kafka gives up. */
  static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

  private final PrintStream out;
  private final PrintStream err;

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "KIND",
      description = "The generator (./sluice generate list).")
  String kind;

  @Option(names = "--events", paramLabel = "N", description = "How many events.")
  Integer events;

  @Option(
      names = "--output",
      paramLabel = "file:PATH|kafka://HOST:PORT/TOPIC",
      description = "Where to write them.")
  String output;

  @Option(names = "--seed", paramLabel = "N", description = "The random seed (default 42).")
  Long seed;

  @Option(
      names = "--start",
      paramLabel = "INSTANT",
      description = "The first event time (default 2026-01-01T00:00:00Z).")
  Instant start;

  @Option(names = "--span", paramLabel = "DURATION", description = "Event times span (1h).")
  Duration span;

  @Option(
      names = "--disorder",
      paramLabel = "DURATION",
      description = "How far out of order events come (1m).")
  Duration disorder;

  @Option(names = "--late", paramLabel = "SHARE", description = "Share of late events (0).")
  Double late;

  @Option(names = "--lateBy", paramLabel = "DURATION", description = "How late they are (30m).")
  Duration lateBy;

  @Option(
      names = "--malformed",
      paramLabel = "SHARE",
      description = "Share of malformed lines (0).")
  Double malformed;

  @Option(names = "--keys", paramLabel = "N", description = "Distinct keys (20).")
  Integer keys;

  @Option(names = "--skew", paramLabel = "S", description = "Zipf skew of the keys (1.1).")
  Double skew;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "2",
      description = "Partitions of a topic this creates (default ${DEFAULT-VALUE}).")
  int partitions;

  /** The command on the process's streams. */
  public GenerateMain() {
    this(System.out, System.err);
  }

  GenerateMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Cli.execute(new GenerateMain(out, err), "sluice generate", args, out, err);
  }

  /** {@code ./sluice generate list}: the generators. */
  @Command(name = "list", description = "The event generators (one per job).")
  static final class ListKinds implements Callable<Integer> {
    @ParentCommand GenerateMain parent;
    @Mixin Cli.Help help;

    @Override
    public Integer call() {
      PrintStream out = parent.out;
      out.println(
          "Generators (./sluice generate <kind> --events=N"
              + " --output=file:PATH|kafka://HOST:PORT/TOPIC):");
      for (EventGenerator g : Generators.all()) {
        out.printf("  %-16s %s%n", g.kind(), g.description());
      }
      out.println(
          "Knobs: --seed=42 --start=2026-01-01T00:00:00Z --span=1h --disorder=1m --late=0"
              + " --lateBy=30m --malformed=0 --keys=20 --skew=1.1 --partitions=2 (Kafka, new"
              + " topics)");
      return Cli.OK;
    }
  }

  @Override
  public Integer call() {
    String kinds = String.join(", ", Generators.all().stream().map(EventGenerator::kind).toList());
    if (kind == null) {
      throw Cli.usage(spec, "a KIND is required; kinds: " + kinds + " (or: list)");
    }
    EventGenerator generator = Generators.named(kind).orElse(null);
    if (generator == null) {
      throw Cli.usage(spec, "unknown kind '" + kind + "'; kinds: " + kinds);
    }
    if (output == null || output.isBlank()) {
      throw Cli.usage(
          spec, "--output is required: --output=file:PATH or --output=kafka://HOST:PORT/TOPIC");
    }
    GeneratorSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      throw Cli.usage(spec, e.getMessage());
    }
    GeneratedEvents generated = generator.generate(settings);
    try {
      if (output.startsWith("kafka://")) {
        toKafka(output, partitions, generated);
      } else {
        Path file = Paths.get(output.startsWith("file:") ? output.substring(5) : output);
        if (file.toAbsolutePath().getParent() != null) {
          Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.write(file, generated.lines(), StandardCharsets.UTF_8);
      }
    } catch (Exception e) {
      err.printf("sluice generate: writing to %s failed: %s%n", output, e.getMessage());
      return Cli.FAILED;
    }
    out.printf(
        "generated %,d %s events (%,d malformed, %,d late) to %s%n",
        generated.lines().size(),
        generator.kind(),
        generated.malformedLineNumbers().size(),
        generated.lateLineNumbers().size(),
        output);
    return Cli.OK;
  }

  private GeneratorSettings settings() {
    GeneratorSettings s = GeneratorSettings.defaults();
    if (seed != null) s = s.withSeed(seed);
    if (events != null) s = s.withEvents(events);
    if (start != null) s = s.withStart(start);
    if (span != null) s = s.withSpan(span);
    if (disorder != null) s = s.withDisorder(disorder);
    if (late != null || lateBy != null) {
      s = s.withLate(late == null ? s.lateShare() : late, lateBy == null ? s.lateBy() : lateBy);
    }
    if (malformed != null) s = s.withMalformed(malformed);
    if (keys != null) s = s.withKeys(keys);
    if (skew != null) s = s.withSkew(skew);
    return s;
  }

  private static void toKafka(String uri, int partitions, GeneratedEvents events) throws Exception {
    String rest = uri.substring("kafka://".length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("expected kafka://host:port/topic, was " + uri);
    }
    String bootstrap = rest.substring(0, slash);
    String topic = rest.substring(slash + 1).replaceFirst("\\?.*", "");
    Admin admin = Topics.admin(bootstrap, KAFKA_TIMEOUT);
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) -1)))
          .all()
          .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw noAnswer(bootstrap);
      }
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create topic " + topic + ": " + e.getCause().getMessage());
      }
    } catch (TimeoutException e) {
      throw noAnswer(bootstrap);
    } finally {
      KafkaClients.close(admin);
    }
    Topics.awaitPartitions(bootstrap, topic, 1, Duration.ofSeconds(30));
    KafkaProducer<String, String> producer = Topics.producer(bootstrap);
    try {
      List<ProducerRecord<String, String>> batch = new ArrayList<>();
      for (int i = 0; i < events.lines().size(); i++) {
        batch.add(
            new ProducerRecord<>(
                topic,
                null,
                events.eventTimes().get(i),
                events.keys().get(i),
                events.lines().get(i)));
        if (batch.size() == 10_000 || i == events.lines().size() - 1) {
          Topics.sendAll(producer, batch);
          batch.clear();
        }
      }
    } finally {
      KafkaClients.close(producer);
    }
  }

  private static IllegalStateException noAnswer(String bootstrap) {
    return new IllegalStateException(
        String.format(
            "no answer from a Kafka broker at %s within %d s; check the address and that the"
                + " broker runs (./sluice kafka status)",
            bootstrap, KAFKA_TIMEOUT.toSeconds()));
  }
}
