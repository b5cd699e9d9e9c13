package dev.sluice.launcher.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.cli.Cli.Failure;
import dev.sluice.pipelines.io.EventTimes;
import dev.sluice.pipelines.io.KafkaClients;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The commands behind {@code ./sluice kafka status|produce|consume}: look at a broker, write lines
 * to a topic (JSON event times become record timestamps), print a topic's records.
 *
 * <p>Flags follow the grammar of {@link Cli} ({@code --name=value}, bare switches like {@code
 * --follow}, {@code --help} on each command). A problem with what the user typed ends in one line
 * on stderr and exit 2; a broker that does not answer, a missing topic or a bad input line end in
 * one line on stderr and exit 1. Every wait on the network is bounded ({@value
 * #DEFAULT_NETWORK_TIMEOUT_SECONDS} s by default) and its message says what it waited for; closing
 * a client then waits at most {@link KafkaClients#CLOSE_TIMEOUT} more, so a listener that accepts
 * the connection but never answers cannot keep a command running. {@code SLUICE_DEBUG=1} adds stack
 * traces.
 */
@Command(
    name = "kafka",
    description = "Look at a Kafka broker, write lines to a topic, print a topic's records.",
    subcommands = {
      KafkaTool.Start.class,
      KafkaTool.Stop.class,
      KafkaTool.Status.class,
      KafkaTool.Produce.class,
      KafkaTool.Consume.class
    })
public final class KafkaTool implements Callable<Integer> {
  public static final int OK = Cli.OK;
  public static final int FAILED = Cli.FAILED;
  public static final int USAGE = Cli.USAGE;

  static final long DEFAULT_NETWORK_TIMEOUT_SECONDS = 15;
  public static final Duration DEFAULT_NETWORK_TIMEOUT =
      Duration.ofSeconds(DEFAULT_NETWORK_TIMEOUT_SECONDS);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Duration networkTimeout;

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  public KafkaTool(InputStream in, PrintStream out, PrintStream err, Duration networkTimeout) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.networkTimeout = networkTimeout;
  }

  /** The tool on the process's streams, with the default network timeout. */
  public KafkaTool() {
    this(System.in, System.out, System.err, DEFAULT_NETWORK_TIMEOUT);
  }

  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
            false,
            StandardCharsets.UTF_8);
    int status = run(args, System.in, out, System.err);
    out.flush();
    System.exit(status);
  }

  /** Runs one command with the default network timeout; returns the process exit code. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return new KafkaTool(in, out, err, DEFAULT_NETWORK_TIMEOUT).run(args);
  }

  public int run(String[] args) {
    return Cli.execute(this, "sluice kafka", args, out, err);
  }

  @Override
  public Integer call() {
    throw Cli.usage(
        spec, "a command is required; commands: start, stop, status, produce, consume, bench");
  }

  /** {@code --dir}: the folder of a broker of {@code ./sluice kafka start}. */
  static class BrokerDir {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "The broker's folder: data, pid file, log (default target/kafka).")
    Path dir;

    /** The folder asked for, or the default: target/kafka of the repository ./sluice runs from. */
    Path resolved() {
      return (dir == null ? defaultDir() : dir).toAbsolutePath().normalize();
    }

    static Path defaultDir() {
      return Path.of(System.getProperty("sluice.root", ".")).resolve("target/kafka");
    }
  }

  private KafkaService service() {
    return new KafkaService(BrokerDir.defaultDir(), out, err);
  }

  /**
   * The broker of {@code --bootstrap}, or of the local broker of {@code --dir} (its {@code
   * bootstrap} file) when none is given.
   */
  private String bootstrapOrLocal(CommandSpec spec, String bootstrap, BrokerDir dir)
      throws Failure {
    if (bootstrap != null) {
      return bootstrapOf(spec, bootstrap);
    }
    Path home = dir.resolved();
    return service()
        .bootstrap(home)
        .orElseThrow(
            () ->
                new Failure(
                    "no broker running from "
                        + home
                        + "; start one with ./sluice kafka start"
                        + (home.equals(BrokerDir.defaultDir().toAbsolutePath().normalize())
                            ? ""
                            : " --dir=" + home)
                        + ", or give --bootstrap=HOST:PORT"));
  }

  /**
   * A topic and its broker, for produce and consume: {@code TOPIC} or {@code --topic=NAME}, on
   * {@code --bootstrap} or on the local broker of {@code --dir}.
   */
  static final class TopicAt extends BrokerDir {
    @Option(
        names = "--bootstrap",
        paramLabel = "HOST:PORT",
        description = "The broker's address (default: the local broker of --dir).")
    String bootstrap;

    @Option(names = "--topic", paramLabel = "NAME", description = "The topic (or TOPIC).")
    String topicOption;

    @Parameters(arity = "0..1", paramLabel = "TOPIC", description = "The topic.")
    String topicArgument;

    /** The topic, as {@code --topic=NAME} or as the one argument. */
    String topic(CommandSpec spec) {
      if (topicOption != null && topicArgument != null && !topicOption.equals(topicArgument)) {
        throw Cli.usage(
            spec, "one topic only, got '" + topicOption + "' and '" + topicArgument + "'");
      }
      String topic = topicOption != null ? topicOption : topicArgument;
      if (topic == null) {
        throw Cli.usage(spec, "a topic is required: TOPIC or --topic=NAME");
      }
      return topic;
    }
  }

  @Command(
      name = "start",
      description = {
        "Starts a local Kafka broker (Kafka's own, in its own JVM) on 127.0.0.1 in the background;",
        "it stops itself after --for. Its data stays in --dir between runs."
      })
  static final class Start implements Callable<Integer> {
    @ParentCommand KafkaTool tool;
    @Mixin Cli.Help help;
    @Mixin BrokerDir dir;

    @Option(
        names = "--port",
        paramLabel = "N",
        defaultValue = "9092",
        description = "Its port (default ${DEFAULT-VALUE}; 0: a free one).")
    int port;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        defaultValue = "12h",
        description = "Its lifetime, e.g. 30m or 12h (default ${DEFAULT-VALUE}).")
    String lifetime;

    @Override
    public Integer call() throws InterruptedException {
      // The broker program checks the range of --port and --for itself (one line, exit 2).
      return tool.service().start(dir.resolved(), port, lifetime);
    }
  }

  @Command(name = "stop", description = "Stops the broker of --dir (SIGTERM, then SIGKILL).")
  static final class Stop implements Callable<Integer> {
    @ParentCommand KafkaTool tool;
    @Mixin Cli.Help help;
    @Mixin BrokerDir dir;

    @Override
    public Integer call() throws InterruptedException {
      return tool.service().stop(dir.resolved());
    }
  }

  @Command(
      name = "status",
      description =
          "The broker of --bootstrap, or the local one of --dir (is it running): its topics,"
              + " partitions and end offsets.")
  static final class Status implements Callable<Integer> {
    @ParentCommand KafkaTool tool;
    @Spec CommandSpec spec;
    @Mixin Cli.Help help;
    @Mixin BrokerDir dir;

    @Option(
        names = "--bootstrap",
        paramLabel = "HOST:PORT",
        description = "The broker's address (default: the local broker of --dir).")
    String bootstrap;

    @Override
    public Integer call() throws Failure {
      if (bootstrap == null) {
        return tool.service().status(dir.resolved());
      }
      return tool.status(bootstrapOf(spec, bootstrap));
    }
  }

  @Command(
      name = "produce",
      description = {
        "Writes each line of stdin (or --file) as a record to a topic, creating it if missing.",
        "A JSON line's time field becomes the record's timestamp."
      })
  static final class Produce implements Callable<Integer> {
    @ParentCommand KafkaTool tool;
    @Spec CommandSpec spec;
    @Mixin Cli.Help help;

    @Mixin TopicAt at;

    @Option(
        names = "--partitions",
        paramLabel = "N",
        description = "Partitions of a topic this creates (default 1).")
    Integer partitions;

    @Option(names = "--file", paramLabel = "PATH", description = "Read this file, not stdin.")
    Path file;

    @Option(
        names = "--time-field",
        paramLabel = "NAME",
        defaultValue = "ts",
        description = "The JSON field holding the event time (default ${DEFAULT-VALUE}).")
    String timeField;

    @Option(
        names = "--key-field",
        paramLabel = "NAME",
        description = "The JSON field whose value becomes the record's key.")
    String keyField;

    @Override
    public Integer call() throws Failure {
      String server = tool.bootstrapOrLocal(spec, at.bootstrap, at);
      String topic = at.topic(spec);
      if (partitions != null && (partitions < 1 || partitions > 10_000)) {
        throw Cli.usage(
            spec,
            "--partitions: '"
                + partitions
                + "' is not allowed; allowed: a partition count from 1 to 10000");
      }
      if (file != null && !Files.isReadable(file)) {
        throw Cli.usage(spec, "--file: cannot read " + file);
      }
      return tool.produce(server, topic, partitions, file, timeField, keyField);
    }
  }

  /** Where {@code consume} starts reading. */
  enum From {
    earliest,
    latest
  }

  @Command(
      name = "consume",
      description = {
        "Prints a topic's record values up to its current end;",
        "with --follow, keeps waiting until --timeout passes without a new record."
      })
  static final class Consume implements Callable<Integer> {
    @ParentCommand KafkaTool tool;
    @Spec CommandSpec spec;
    @Mixin Cli.Help help;

    @Mixin TopicAt at;

    @Option(
        names = "--from",
        paramLabel = "earliest|latest",
        defaultValue = "earliest",
        description = "Start at the first record or at the end (default ${DEFAULT-VALUE}).")
    From from;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Integer max;

    @Option(names = "--follow", description = "Keep waiting for new records.")
    boolean follow;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        description = "With --follow: stop after this long without a new record (default 10s).")
    Duration timeout;

    @Option(
        names = "--metadata",
        description = "Print partition, offset, timestamp and key before each value.")
    boolean metadata;

    @Override
    public Integer call() throws Failure {
      String server = tool.bootstrapOrLocal(spec, at.bootstrap, at);
      String topic = at.topic(spec);
      if (max != null && max < 1) {
        throw Cli.usage(
            spec, "--max: '" + max + "' is not allowed; allowed: a count from 1 to 2147483647");
      }
      return tool.consume(
          server,
          topic,
          from,
          max == null ? Long.MAX_VALUE : max,
          follow,
          metadata,
          timeout == null ? Duration.ofSeconds(10) : timeout,
          timeout != null);
    }
  }

  // ---------------------------------------------------------------------------------- status

  private int status(String bootstrap) throws Failure {
    probe(bootstrap);
    Admin admin = admin(bootstrap);
    try {
      String clusterId = awaitBroker(bootstrap, admin);
      int nodes = await(admin.describeCluster().nodes(), "the broker's list of nodes").size();
      out.printf(
          "Kafka at %s is up (cluster %s, %d node%s)%n",
          bootstrap, clusterId, nodes, nodes == 1 ? "" : "s");
      Set<String> names = new TreeSet<>(await(admin.listTopics().names(), "the list of topics"));
      if (names.isEmpty()) {
        out.println("no topics");
        return OK;
      }
      Map<String, TopicDescription> topics =
          await(admin.describeTopics(names).allTopicNames(), "the topics' partitions");
      Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
      topics.values().stream()
          .flatMap(
              t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
          .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          await(admin.listOffsets(latest).all(), "the partitions' end offsets");
      out.printf("%d topic%s:%n", names.size(), names.size() == 1 ? "" : "s");
      int width = names.stream().mapToInt(String::length).max().orElse(0);
      for (String name : names) {
        int partitions = topics.get(name).partitions().size();
        String offsets =
            topics.get(name).partitions().stream()
                .map(p -> p.partition())
                .sorted()
                .map(p -> p + "=" + ends.get(new TopicPartition(name, p)).offset())
                .collect(Collectors.joining(" "));
        out.printf(
            "  %-" + width + "s  %3d partition%s  end offsets %s%n",
            name,
            partitions,
            partitions == 1 ? " " : "s",
            offsets);
      }
      return OK;
    } finally {
      KafkaClients.close(admin);
    }
  }

  // --------------------------------------------------------------------------------- produce

  /** {@code partitionsFlag}: the --partitions given, null if none (then 1). */
  private int produce(
      String bootstrap,
      String topic,
      Integer partitionsFlag,
      Path file,
      String timeField,
      String keyField)
      throws Failure {
    int partitions = partitionsFlag == null ? 1 : partitionsFlag;

    probe(bootstrap);
    Admin admin = admin(bootstrap);
    try {
      awaitBroker(bootstrap, admin);
      Map<String, TopicDescription> existing = describeIfExists(admin, topic);
      if (existing.isEmpty()) {
        createTopic(admin, topic, partitions);
      } else if (partitionsFlag != null) {
        int actual = existing.get(topic).partitions().size();
        if (actual != partitions) {
          err.printf(
              "note: topic %s already exists with %d partition%s; --partitions=%d is ignored%n",
              topic, actual, actual == 1 ? "" : "s", partitions);
        }
      }
    } finally {
      KafkaClients.close(admin);
    }

    KafkaProducer<String, String> producer = Topics.producer(bootstrap, networkTimeout);
    try (BufferedReader reader = reader(file)) {
      AtomicReference<Exception> failed = new AtomicReference<>();
      AtomicLong acknowledged = new AtomicLong();
      long lines = 0;
      long empty = 0;
      long withoutTime = 0;
      long withoutKey = 0;
      String line;
      while ((line = reader.readLine()) != null && failed.get() == null) {
        lines++;
        if (line.isEmpty()) {
          empty++;
          continue;
        }
        Parsed parsed;
        try {
          parsed = parse(line, lines, timeField, keyField);
        } catch (Failure e) {
          producer.flush();
          long before = acknowledged.get();
          throw new Failure(
              before == 0
                  ? e.getMessage() + " (nothing was written to " + topic + ")"
                  : String.format(
                      "%s (the %d record%s before it %s written to %s)",
                      e.getMessage(),
                      before,
                      before == 1 ? "" : "s",
                      before == 1 ? "was" : "were",
                      topic),
              e);
        }
        if (parsed.timestamp == null) {
          withoutTime++;
        }
        if (keyField != null && parsed.key == null) {
          withoutKey++;
        }
        try {
          producer.send(
              new ProducerRecord<>(topic, null, parsed.timestamp, parsed.key, line),
              (metadata, e) -> {
                if (e != null) {
                  failed.compareAndSet(null, e);
                } else {
                  acknowledged.incrementAndGet();
                }
              });
        } catch (RuntimeException e) { // e.g. no metadata for the topic within the bound
          failed.compareAndSet(null, e);
        }
      }
      producer.flush(); // bounded: every record fails after the producer's delivery timeout
      if (failed.get() != null) {
        throw new Failure(
            String.format(
                "writing to %s on %s failed after %d acknowledged records: %s",
                topic, bootstrap, acknowledged.get(), failed.get().getMessage()),
            failed.get());
      }
      long written = acknowledged.get();
      if (empty > 0) {
        err.printf("note: skipped %d empty line%s%n", empty, empty == 1 ? "" : "s");
      }
      if (withoutTime > 0 && withoutTime < written) {
        err.printf(
            "note: %d of %d records had no '%s' field and carry the time they were written%n",
            withoutTime, written, timeField);
      }
      if (withoutKey > 0) {
        err.printf(
            "note: %d of %d records had no '%s' field and have no key%n",
            withoutKey, written, keyField);
      }
      out.printf("wrote %d record%s to %s%n", written, written == 1 ? "" : "s", topic);
      return OK;
    } catch (IOException e) {
      throw new Failure(
          "cannot read " + (file == null ? "stdin" : file) + ": " + e.getMessage(), e);
    } finally {
      KafkaClients.close(producer);
    }
  }

  private BufferedReader reader(Path file) throws Failure {
    try {
      InputStream stream = file == null ? in : Files.newInputStream(file);
      return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new Failure("no such file: " + file, e);
    } catch (IOException e) {
      throw new Failure("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  /** A line's event time (null: none) and key (null: none). */
  static final class Parsed {
    final Long timestamp;
    final String key;

    Parsed(Long timestamp, String key) {
      this.timestamp = timestamp;
      this.key = key;
    }
  }

  private static final Parsed PLAIN = new Parsed(null, null);

  /**
   * A line that is a JSON object gives its event time from {@code timeField} and its key from
   * {@code keyField}; any other line gives neither. A time field that is present but not a time is
   * an error: silently giving such a record the wall-clock time would corrupt event-time data.
   */
  static Parsed parse(String line, long lineNumber, String timeField, String keyField)
      throws Failure {
    String trimmed = line.strip();
    if (!trimmed.startsWith("{")) {
      return PLAIN;
    }
    JsonNode node;
    try {
      node = JSON.readTree(trimmed);
    } catch (IOException e) {
      return PLAIN; // not JSON after all: a plain text line
    }
    if (node == null || !node.isObject()) {
      return PLAIN;
    }
    Long timestamp = null;
    JsonNode time = node.get(timeField);
    if (time != null && !time.isNull()) {
      timestamp = eventTime(node, lineNumber, timeField);
    }
    String key = null;
    if (keyField != null) {
      JsonNode k = node.get(keyField);
      if (k != null && !k.isNull()) {
        key = k.isValueNode() ? k.asText() : k.toString();
      }
    }
    return new Parsed(timestamp, key);
  }

  /** The record's time as every job reads it ({@link EventTimes}), and one Kafka can store. */
  private static long eventTime(JsonNode record, long lineNumber, String field) throws Failure {
    long millis;
    try {
      millis = EventTimes.ofField(record, field);
    } catch (InvalidRecordException e) {
      throw new Failure(
          String.format(
              "line %d: %s; fix the line or choose another field with --time-field=NAME",
              lineNumber, e.getMessage()));
    }
    if (millis < 0) {
      throw new Failure(
          String.format(
              "line %d: field '%s' is %s, before 1970: Kafka record timestamps cannot be negative",
              lineNumber, field, record.get(field)));
    }
    return millis;
  }

  private void createTopic(Admin admin, String topic, int partitions) throws Failure {
    try {
      await(
          admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all(),
          "the creation of topic " + topic);
      err.printf(
          "created topic %s with %d partition%s%n", topic, partitions, partitions == 1 ? "" : "s");
    } catch (Failure e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
      // created by someone else meanwhile: write to it
    }
  }

  // --------------------------------------------------------------------------------- consume

  private int consume(
      String bootstrap,
      String topic,
      From from,
      long max,
      boolean follow,
      boolean metadata,
      Duration idle,
      boolean timeoutGiven)
      throws Failure {
    if (timeoutGiven && !follow) {
      err.println(
          "note: --timeout only applies with --follow; without it reading stops at the end");
    }

    List<TopicPartition> partitions;
    probe(bootstrap);
    Admin admin = admin(bootstrap);
    try {
      awaitBroker(bootstrap, admin);
      Map<String, TopicDescription> described = describeIfExists(admin, topic);
      if (described.isEmpty()) {
        Set<String> names = new TreeSet<>(await(admin.listTopics().names(), "the list of topics"));
        throw new Failure(
            String.format(
                "topic '%s' does not exist on %s; topics there: %s",
                topic, bootstrap, names.isEmpty() ? "none" : String.join(", ", names)));
      }
      partitions =
          described.get(topic).partitions().stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .sorted(Comparator.comparingInt(TopicPartition::partition))
              .collect(Collectors.toList());
    } finally {
      KafkaClients.close(admin);
    }
    if (from == From.latest && !follow) {
      err.println(
          "note: --from=latest without --follow reads nothing; add --follow to wait for new"
              + " records");
    }

    KafkaConsumer<String, String> consumer = Topics.consumer(bootstrap, networkTimeout);
    try {
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, networkTimeout);
      if (from == From.earliest) {
        consumer.seekToBeginning(partitions);
      } else {
        end.forEach(consumer::seek);
      }

      long printed = 0;
      long lastProgress = System.nanoTime();
      Map<TopicPartition, Long> lastPositions = Map.of();
      Duration stall = follow ? idle : networkTimeout;
      while (printed < max) {
        boolean progressed = false;
        if (!follow) {
          Map<TopicPartition, Long> positions = positions(consumer, partitions);
          if (reachedEnd(positions, end)) {
            break;
          }
          // a position may move without a record to show (transaction markers, compaction)
          progressed = !positions.equals(lastPositions);
          lastPositions = positions;
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (!follow
              && record.offset() >= end.get(new TopicPartition(topic, record.partition()))) {
            continue; // written after the read started: not part of it
          }
          progressed = true;
          out.println(metadata ? withMetadata(record) : record.value());
          if (++printed >= max) {
            break;
          }
        }
        out.flush();
        if (out.checkError()) {
          return OK; // whoever read our output went away (e.g. | head): nothing left to do
        }
        if (progressed) {
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
          if (follow) {
            err.printf("no new records for %s; stopped after %d%n", seconds(idle), printed);
            break;
          }
          throw new Failure(
              String.format(
                  "waited %s in vain for records while reading %s up to its end offsets %s;"
                      + " printed %d",
                  seconds(stall), topic, end, printed));
        }
      }
      return OK;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new Failure(
          "waited "
              + seconds(networkTimeout)
              + " in vain for "
              + bootstrap
              + " to answer while reading "
              + topic
              + ": "
              + e.getMessage(),
          e);
    } finally {
      KafkaClients.close(consumer);
    }
  }

  private Map<TopicPartition, Long> positions(
      KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicPartition tp : partitions) {
      positions.put(tp, consumer.position(tp, networkTimeout));
    }
    return positions;
  }

  private static boolean reachedEnd(
      Map<TopicPartition, Long> positions, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> positions.get(e.getKey()) >= e.getValue());
  }

  private static String withMetadata(ConsumerRecord<String, String> record) {
    String time =
        record.timestamp() < 0 ? "none" : Instant.ofEpochMilli(record.timestamp()).toString();
    return record.partition()
        + " "
        + record.offset()
        + " "
        + time
        + " "
        + record.key()
        + "\t"
        + record.value();
  }

  // --------------------------------------------------------------------------------- helpers

  private static final Pattern HOST_PORT = Pattern.compile("([^\\s:,]+):(\\d{1,5})");

  private static String bootstrapOf(CommandSpec spec, String bootstrap) {
    for (String server : bootstrap.split(",", -1)) {
      Matcher m = HOST_PORT.matcher(server);
      if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
        throw Cli.usage(
            spec,
            "--bootstrap: '"
                + bootstrap
                + "' is not HOST:PORT[,HOST:PORT...], e.g. 127.0.0.1:9092");
      }
    }
    return bootstrap;
  }

  private Admin admin(String bootstrap) {
    return Topics.admin(bootstrap, networkTimeout);
  }

  /**
   * Fails at once when nothing listens at {@code bootstrap}: a refused connection needs no waiting,
   * and a Kafka client would retry it (and log each retry) until its timeout.
   */
  private void probe(String bootstrap) throws Failure {
    IOException refused = null;
    for (String server : bootstrap.split(",")) {
      int colon = server.lastIndexOf(':');
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress(
                server.substring(0, colon), Integer.parseInt(server.substring(colon + 1))),
            (int) Math.min(networkTimeout.toMillis(), 5_000));
        return;
      } catch (IOException e) {
        refused = e;
      }
    }
    throw new Failure(
        String.format(
            "no Kafka broker at %s (%s); is one running? ./sluice kafka status",
            bootstrap, refused.getMessage()),
        refused);
  }

  /** Waits (bounded) for the broker to answer; returns its cluster id. */
  private String awaitBroker(String bootstrap, Admin admin) throws Failure {
    try {
      return await(
          admin.describeCluster().clusterId(), "the broker at " + bootstrap + " to answer");
    } catch (Failure e) {
      // Something accepted the connection but does not speak Kafka, or a broker that hangs.
      throw new Failure(
          "no Kafka broker answers at "
              + bootstrap
              + ": "
              + e.getMessage()
              + "; check the address and that the broker runs (a Kafka broker, not another"
              + " service on that port)",
          e.getCause());
    }
  }

  private Map<String, TopicDescription> describeIfExists(Admin admin, String topic) throws Failure {
    Set<String> names = await(admin.listTopics().names(), "the list of topics");
    if (!names.contains(topic)) {
      return Map.of();
    }
    return await(
        admin.describeTopics(List.of(topic)).allTopicNames(), "the description of " + topic);
  }

  private <T> T await(KafkaFuture<T> future, String what) throws Failure {
    try {
      return future.get(networkTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while waiting for " + what, e);
    } catch (TimeoutException e) {
      throw new Failure("waited " + seconds(networkTimeout) + " for " + what + " in vain", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new Failure("waited " + seconds(networkTimeout) + " for " + what + " in vain", cause);
      }
      throw new Failure("failed waiting for " + what + ": " + cause.getMessage(), cause);
    }
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0
        ? d.toSeconds() + " s"
        : String.format("%.1f s", d.toMillis() / 1e3);
  }
}
