package dev.sluice.launcher.generate;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@code ./sluice generate list} and {@code ./sluice generate <kind> --events=N
 * --output=file:PATH|kafka://host:port/topic [knobs]}: writes a generator's records to a JSON-lines
 * file, or to a Kafka topic with each record's Kafka timestamp set to its event time (created with
 * {@code --partitions} if missing). Exit 0, 2 for a bad command or flag, 1 if writing failed. A
 * broker that does not answer fails the command after {@link #KAFKA_TIMEOUT} (and at most {@link
 * KafkaClients#CLOSE_TIMEOUT} more to close the client), in one line naming its address.
 */
public final class GenerateMain {
  private static final Set<String> FLAGS =
      Set.of(
          "events",
          "output",
          "seed",
          "start",
          "span",
          "disorder",
          "late",
          "lateBy",
          "malformed",
          "keys",
          "skew",
          "partitions");

  /** The longest the broker may take to answer before a write to Kafka gives up. */
  static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

  private GenerateMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("list") || args[0].equals("--help")) {
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
      return args.length == 0 ? 2 : 0;
    }
    EventGenerator generator = Generators.named(args[0]).orElse(null);
    if (generator == null) {
      err.printf(
          "sluice generate: unknown kind '%s'; kinds: %s%n",
          args[0], String.join(", ", Generators.all().stream().map(EventGenerator::kind).toList()));
      return 2;
    }
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        err.printf("sluice generate: '%s' is not --flag=value%n", a);
        return 2;
      }
      String name = a.substring(2, eq);
      if (!FLAGS.contains(name)) {
        err.printf(
            "sluice generate: unknown flag --%s; allowed: --%s%n",
            name, String.join(", --", sorted(FLAGS)));
        return 2;
      }
      flags.put(name, a.substring(eq + 1));
    }
    String output = flags.get("output");
    if (output == null || output.isBlank()) {
      err.println("sluice generate: --output is required: file:PATH or kafka://HOST:PORT/TOPIC");
      return 2;
    }
    GeneratorSettings settings;
    int partitions;
    try {
      settings = settings(flags);
      partitions = Integer.parseInt(flags.getOrDefault("partitions", "2"));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      err.println("sluice generate: " + e.getMessage());
      return 2;
    }
    GeneratedEvents events = generator.generate(settings);
    try {
      if (output.startsWith("kafka://")) {
        toKafka(output, partitions, events);
      } else {
        Path file = Paths.get(output.startsWith("file:") ? output.substring(5) : output);
        if (file.toAbsolutePath().getParent() != null) {
          Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.write(file, events.lines(), StandardCharsets.UTF_8);
      }
    } catch (Exception e) {
      err.printf("sluice generate: writing to %s failed: %s%n", output, e.getMessage());
      return 1;
    }
    out.printf(
        "generated %,d %s events (%,d malformed, %,d late) to %s%n",
        events.lines().size(),
        generator.kind(),
        events.malformedLineNumbers().size(),
        events.lateLineNumbers().size(),
        output);
    return 0;
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  static GeneratorSettings settings(Map<String, String> f) {
    GeneratorSettings s = GeneratorSettings.defaults();
    if (f.containsKey("seed")) s = s.withSeed(Long.parseLong(f.get("seed")));
    if (f.containsKey("events")) s = s.withEvents(integer("--events", f.get("events")));
    if (f.containsKey("start")) s = s.withStart(Instant.parse(f.get("start")));
    if (f.containsKey("span")) s = s.withSpan(duration("--span", f.get("span")));
    if (f.containsKey("disorder")) s = s.withDisorder(duration("--disorder", f.get("disorder")));
    if (f.containsKey("late") || f.containsKey("lateBy")) {
      s =
          s.withLate(
              share("--late", f.getOrDefault("late", String.valueOf(s.lateShare()))),
              f.containsKey("lateBy") ? duration("--lateBy", f.get("lateBy")) : s.lateBy());
    }
    if (f.containsKey("malformed")) s = s.withMalformed(share("--malformed", f.get("malformed")));
    if (f.containsKey("keys")) s = s.withKeys(integer("--keys", f.get("keys")));
    if (f.containsKey("skew")) s = s.withSkew(share("--skew", f.get("skew")));
    return s;
  }

  private static int integer(String flag, String v) {
    try {
      return Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + v + "' is not a whole number");
    }
  }

  private static double share(String flag, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + v + "' is not a number");
    }
  }

  private static Duration duration(String flag, String v) {
    return Duration.ofMillis(dev.sluice.transforms.window.DurationSpec.parse(flag, v).getMillis());
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
