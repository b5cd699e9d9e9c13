package dev.sluice.testing.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sluice.launcher.kafka.KafkaTool;
import dev.sluice.pipelines.io.KafkaClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaToolTest {

  /** What one command printed and returned. */
  private static final class Result {
    final int status;
    final String out;
    final String err;

    Result(int status, String out, String err) {
      this.status = status;
      this.out = out;
      this.err = err;
    }

    List<String> lines() {
      return out.lines().collect(Collectors.toList());
    }

    @Override
    public String toString() {
      return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private static Result run(String stdin, String... args) {
    return run(KafkaTool.DEFAULT_NETWORK_TIMEOUT, stdin, args);
  }

  /**
   * Runs one command. It must end by itself (every wait of the tool is bounded); a command that
   * hangs fails the test after {@link #HANG} instead of hanging the build.
   */
  private static Result run(Duration networkTimeout, String stdin, String... args) {
    return assertTimeoutPreemptively(
        HANG,
        () -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          ByteArrayOutputStream err = new ByteArrayOutputStream();
          InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
          int status;
          try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
              PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = new KafkaTool(in, o, e, networkTimeout).run(args);
          }
          return new Result(
              status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        },
        () -> "kafka " + String.join(" ", args) + " did not end: it hangs");
  }

  /** Far beyond any command's own bounds: a command still running then hangs. */
  private static final Duration HANG = Duration.ofMinutes(2);

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  private static int partitionsOf(KafkaBroker broker, String topic) throws Exception {
    Admin admin = broker.admin();
    try {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(15, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .size();
    } finally {
      KafkaClients.close(admin);
    }
  }

  // ------------------------------------------------------------------------------- produce

  @Test
  void producedRecordsCarryTheirEventTimesAndKeysAndConsumeBackInOrder(KafkaBroker broker) {
    String input =
        lines(
            "{\"ts\":\"2024-05-01T12:00:00Z\",\"user\":\"alice\",\"n\":1}",
            "{\"ts\":\"2024-05-01T14:00:01.500+02:00\",\"user\":\"bob\",\"n\":2}",
            "{\"ts\":1714564800123,\"user\":7,\"n\":3}",
            "{\"ts\":1714564800999,\"n\":4}");

    Result produce =
        run(
            input,
            "produce",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=round-trip",
            "--key-field=user");

    assertEquals(0, produce.status, produce.toString());
    assertEquals("wrote 4 records to round-trip\n", produce.out);
    assertThat(produce.err, containsString("created topic round-trip with 1 partition"));
    assertThat(produce.err, containsString("1 of 4 records had no 'user' field and have no key"));

    List<ConsumerRecord<String, String>> read = broker.readAll("round-trip");
    assertThat(
        read.stream().map(ConsumerRecord::timestamp).collect(Collectors.toList()),
        contains(
            Instant.parse("2024-05-01T12:00:00Z").toEpochMilli(),
            Instant.parse("2024-05-01T12:00:01.500Z").toEpochMilli(),
            1714564800123L,
            1714564800999L));
    assertEquals(
        Arrays.asList("alice", "bob", "7", null),
        read.stream().map(ConsumerRecord::key).collect(Collectors.toList()));

    Result consume =
        run("", "consume", "--bootstrap=" + broker.bootstrapServers(), "--topic=round-trip");

    assertEquals(0, consume.status, consume.toString());
    assertEquals(input, consume.out);
  }

  @Test
  void linesWithoutTheTimeFieldGetTheTimeTheyWereWritten(KafkaBroker broker) {
    long before = System.currentTimeMillis();
    Result produce =
        run(
            lines(
                "plain text",
                "{\"other\":\"2001-01-01T00:00:00Z\"}",
                "{\"ts\":\"2001-01-01T00:00:00Z\"}"),
            "produce",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=no-times");
    long after = System.currentTimeMillis();

    assertEquals(0, produce.status, produce.toString());
    assertThat(produce.err, containsString("2 of 3 records had no 'ts' field"));
    List<ConsumerRecord<String, String>> read = broker.readAll("no-times");
    assertEquals(3, read.size());
    for (ConsumerRecord<String, String> record : read.subList(0, 2)) {
      assertThat(record.timestamp(), greaterThanOrEqualTo(before));
      assertThat(record.timestamp(), lessThanOrEqualTo(after));
      assertNull(record.key());
    }
    assertEquals(Instant.parse("2001-01-01T00:00:00Z").toEpochMilli(), read.get(2).timestamp());
  }

  @Test
  void anotherTimeFieldCanBeNamed(KafkaBroker broker) {
    Result produce =
        run(
            lines("{\"ts\":\"not used\",\"at\":\"2020-02-02T02:02:02Z\"}"),
            "produce",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=named-time",
            "--time-field=at");

    assertEquals(0, produce.status, produce.toString());
    assertEquals(
        Instant.parse("2020-02-02T02:02:02Z").toEpochMilli(),
        broker.readAll("named-time").get(0).timestamp());
  }

  @Test
  void aTimeFieldThatIsNotATimeStopsTheWriteAndNamesTheLine(KafkaBroker broker) {
    Result produce =
        run(
            lines("{\"ts\":\"2024-05-01T12:00:00Z\"}", "{\"ts\":\"yesterday\"}", "{\"ts\":1}"),
            "produce",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=bad-time");

    assertEquals(1, produce.status, produce.toString());
    String error = produce.err.lines().reduce((a, b) -> b).orElse("");
    // The words a job's dead letter would have for the line (EventTimes).
    assertThat(
        error,
        startsWith(
            "sluice kafka produce: line 2: field 'ts' is not an ISO-8601 date-time with an offset"
                + " (or Z): \"yesterday\"; fix the line or choose another field with"
                + " --time-field=NAME"));
    assertThat(error, containsString("(the 1 record before it was written to bad-time)"));
    assertEquals("", produce.out);
    assertEquals(1, broker.readAll("bad-time").size());
  }

  @Test
  void aTimeWithoutAnOffsetIsRefusedRatherThanGuessed(KafkaBroker broker) {
    Result produce =
        run(
            lines("{\"ts\":\"2024-05-01T12:00:00\"}"),
            "produce",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=local-time");

    assertEquals(1, produce.status, produce.toString());
    assertThat(
        produce.err,
        containsString(
            "line 1: field 'ts' is not an ISO-8601 date-time with an offset (or Z):"
                + " \"2024-05-01T12:00:00\""));
    assertThat(produce.err, containsString("(nothing was written to local-time)"));
  }

  /** Epoch milliseconds are a JSON number: as a string, no job would read them either. */
  @Test
  void epochMillisInAStringAreRefusedAsEveryJobRefusesThem(KafkaBroker broker) {
    Result produce =
        run(
            lines("{\"ts\":\"1714564800999\"}"),
            "produce",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=string-millis");

    assertEquals(1, produce.status, produce.toString());
    assertThat(
        produce.err,
        containsString(
            "line 1: field 'ts' is not an ISO-8601 date-time with an offset (or Z):"
                + " \"1714564800999\""));
    assertThat(produce.err, containsString("(nothing was written to string-millis)"));
  }

  @Test
  void aMissingTopicIsCreatedWithTheAskedPartitionsAndAnExistingOneIsKept(KafkaBroker broker)
      throws Exception {
    Result first =
        run(
            lines("a", "b", "c", "d"),
            "produce",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=three",
            "--partitions=3");
    Result second =
        run(
            lines("e"),
            "produce",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=three",
            "--partitions=5");

    assertEquals(0, first.status, first.toString());
    assertThat(first.err, containsString("created topic three with 3 partitions"));
    assertEquals(0, second.status, second.toString());
    assertThat(second.err, not(containsString("created")));
    assertThat(
        second.err, containsString("already exists with 3 partitions; --partitions=5 is ignored"));
    assertEquals(3, partitionsOf(broker, "three"));
    assertEquals(5, broker.readAll("three").size());
  }

  @Test
  void producesFromAFileAndSkipsEmptyLines(KafkaBroker broker, @TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("in.txt");
    Files.writeString(file, "one\n\ntwo\n");

    Result produce =
        run(
            "ignored stdin\n",
            "produce",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=from-file",
            "--file=" + file);

    assertEquals(0, produce.status, produce.toString());
    assertEquals("wrote 2 records to from-file\n", produce.out);
    assertThat(produce.err, containsString("skipped 1 empty line"));
    assertThat(
        broker.readAll("from-file").stream()
            .map(ConsumerRecord::value)
            .collect(Collectors.toList()),
        contains("one", "two"));
  }

  // ------------------------------------------------------------------------------- consume

  @Test
  void consumeWithMetadataPrintsPartitionOffsetTimeKeyTabValue(KafkaBroker broker) {
    broker.createTopic("with-metadata", 2);
    broker.send(
        List.of(
            new ProducerRecord<>("with-metadata", 1, 1_700_000_000_000L, "k1", "v1"),
            new ProducerRecord<>("with-metadata", 1, 1_700_000_000_250L, null, "v2")));

    Result consume =
        run(
            "",
            "consume",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=with-metadata",
            "--metadata");

    assertEquals(0, consume.status, consume.toString());
    assertThat(
        consume.lines(),
        contains("1 0 2023-11-14T22:13:20Z k1\tv1", "1 1 2023-11-14T22:13:20.250Z null\tv2"));
  }

  @Test
  void consumeStopsAfterMaxRecords(KafkaBroker broker) {
    run(
        lines("1", "2", "3", "4", "5"),
        "produce",
        "--bootstrap=" + broker.bootstrapServers(),
        "--topic=five");

    Result consume =
        run("", "consume", "--bootstrap=" + broker.bootstrapServers(), "--topic=five", "--max=2");

    assertEquals(0, consume.status, consume.toString());
    assertThat(consume.lines(), contains("1", "2"));
  }

  @Test
  void consumeReadsAllPartitionsUpToTheirEndsAndStops(KafkaBroker broker) {
    broker.createTopic("spread", 3);
    broker.send(
        List.of(
            new ProducerRecord<>("spread", 0, "a", "p0"),
            new ProducerRecord<>("spread", 2, "b", "p2a"),
            new ProducerRecord<>("spread", 2, "b", "p2b")));

    Result consume =
        run("", "consume", "--bootstrap=" + broker.bootstrapServers(), "--topic=spread");

    assertEquals(0, consume.status, consume.toString());
    assertThat(
        consume.lines().stream().sorted().collect(Collectors.toList()),
        contains("p0", "p2a", "p2b"));
  }

  @Test
  void followWaitsForNewRecordsUntilTheTimeoutPasses(KafkaBroker broker) {
    run(lines("old"), "produce", "--bootstrap=" + broker.bootstrapServers(), "--topic=followed");

    Result consume =
        run(
            "",
            "consume",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=followed",
            "--follow",
            "--timeout=2s");

    assertEquals(0, consume.status, consume.toString());
    assertThat(consume.lines(), contains("old"));
    assertThat(consume.err, containsString("no new records for 2 s; stopped after 1"));
  }

  @Test
  void latestWithoutFollowReadsNothingAndSaysWhy(KafkaBroker broker) {
    run(lines("before"), "produce", "--bootstrap=" + broker.bootstrapServers(), "--topic=latest");

    Result consume =
        run(
            "",
            "consume",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=latest",
            "--from=latest");

    assertEquals(0, consume.status, consume.toString());
    assertThat(consume.lines(), empty());
    assertThat(consume.err, containsString("add --follow"));
  }

  @Test
  void consumingAMissingTopicFailsAndListsTheTopicsThere(KafkaBroker broker) {
    broker.createTopic("present", 1);

    Result consume =
        run("", "consume", "--bootstrap=" + broker.bootstrapServers(), "--topic=absent");

    assertEquals(1, consume.status, consume.toString());
    assertThat(
        consume.err,
        startsWith(
            "sluice kafka consume: topic 'absent' does not exist on " + broker.bootstrapServers()));
    assertThat(consume.err, containsString("present"));
    assertEquals("", consume.out);
  }

  // -------------------------------------------------------------------------------- status

  @Test
  void statusListsTopicsWithPartitionsAndEndOffsets(KafkaBroker broker) {
    broker.createTopic("status-two", 2);
    broker.send(
        List.of(
            new ProducerRecord<>("status-two", 0, "k", "a"),
            new ProducerRecord<>("status-two", 1, "k", "b"),
            new ProducerRecord<>("status-two", 1, "k", "c")));

    Result status = run("", "status", "--bootstrap=" + broker.bootstrapServers());

    assertEquals(0, status.status, status.toString());
    assertThat(status.out, startsWith("Kafka at " + broker.bootstrapServers() + " is up"));
    String line =
        status.lines().stream().filter(l -> l.contains("status-two")).findFirst().orElse("");
    assertThat(line, containsString("2 partitions"));
    assertThat(line, containsString("end offsets 0=1 1=2"));
    assertThat(status.out, not(containsString("__consumer_offsets")));
  }

  // ------------------------------------------------------------------- unreachable brokers

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The tool tries the connection first: a refused one needs no waiting for Kafka's timeouts. */
  @Test
  void everyCommandSaysNothingListensWhenTheConnectionIsRefused() throws IOException {
    String bootstrap = "--bootstrap=127.0.0.1:" + closedPort();
    for (String[] args :
        List.of(
            new String[] {"status", bootstrap},
            new String[] {"produce", bootstrap, "--topic=t"},
            new String[] {"consume", bootstrap, "--topic=t"})) {
      Result result = run("x\n", args);

      assertEquals(1, result.status, result.toString());
      assertThat(
          result.err, startsWith("sluice kafka " + args[0] + ": no Kafka broker at 127.0.0.1:"));
      assertThat(result.err, containsString("./sluice kafka status"));
    }
  }

  // --------------------------------------------------------------------------------- flags

  @Test
  void flagErrorsNameTheFlagAndExitWithTwo() {
    Map<List<String>, String> cases =
        Map.of(
            List.of("consume", "--bootstrap=127.0.0.1:1", "--topic=t", "--colour=red"),
                "unknown flag --colour for consume; allowed: --bootstrap=..., --dir=...,"
                    + " --from=..., --max=...",
            List.of("consume", "--bootstrap=127.0.0.1:1"),
                "a topic is required: TOPIC or --topic=NAME",
            List.of("consume", "--bootstrap=127.0.0.1:1", "--topic=t", "--from=middle"),
                "--from: 'middle' is not allowed; allowed: earliest, latest",
            List.of("consume", "--bootstrap=127.0.0.1:1", "--topic=t", "--max=many"),
                "--max: 'many' is not a whole number",
            List.of(
                    "consume",
                    "--bootstrap=127.0.0.1:1",
                    "--topic=t",
                    "--follow",
                    "--timeout=soon"),
                "--timeout: 'soon' is not a duration",
            List.of("consume", "--bootstrap=127.0.0.1:1", "--topic=t", "--metadata=yes"),
                "--metadata takes no value",
            List.of("produce", "--bootstrap=localhost", "--topic=t"),
                "--bootstrap: 'localhost' is not HOST:PORT",
            List.of("produce", "--bootstrap=127.0.0.1:1", "--topic=t", "--partitions=0"),
                "--partitions: '0' is not allowed",
            List.of("status", "--bootstrap=localhost"), "--bootstrap: 'localhost' is not HOST:PORT",
            List.of("statuss", "--bootstrap=127.0.0.1:1"),
                "unknown command 'statuss'; commands: start, stop, status, produce, consume");
    cases.forEach(
        (args, message) -> {
          Result result = run("", args.toArray(new String[0]));
          assertEquals(2, result.status, args + " -> " + result);
          assertThat(args.toString(), result.err, containsString(message));
          assertEquals(1, result.err.lines().count(), result.err);
        });
  }

  @Test
  void theTopicIsNamedOnceAsAnArgumentOrAFlag() {
    Result two = run("", "produce", "--bootstrap=127.0.0.1:1", "--topic=t", "events");
    assertEquals(2, two.status, two.toString());
    assertThat(two.err, containsString("one topic only, got 't' and 'events'"));

    Result none = run("", "consume", "--bootstrap=127.0.0.1:1");
    assertEquals(2, none.status, none.toString());
    assertThat(none.err, containsString("a topic is required: TOPIC or --topic=NAME"));
  }

  @Test
  void aMissingFileIsAUsageError(KafkaBroker broker, @TempDir Path dir) {
    Result result =
        run(
            "",
            "produce",
            "--bootstrap=" + broker.bootstrapServers(),
            "--topic=t",
            "--file=" + dir.resolve("nope.json"));

    assertEquals(2, result.status, result.toString());
    assertThat(result.err, containsString("--file: cannot read " + dir.resolve("nope.json")));
  }
}
