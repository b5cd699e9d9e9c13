package dev.sluice.testing.kafka;

import static dev.sluice.testing.kafka.KafkaRuns.records;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sluice.launcher.Sluice;
import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.io.KafkaClients;
import dev.sluice.pipelines.wordcount.SlidingWordCount;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.testing.JobRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * word-count against Kafka's own broker with SASL/SCRAM logins, on the DirectRunner, through the
 * launcher's in-process entry ({@link Sluice#run}): the right user's {@code config=} file reads and
 * writes; a wrong password or an unknown user is refused before launch in one line that names the
 * option, the broker and the file; a client that does not log in gets nothing. No password, right
 * or wrong, appears in what the launcher says, in an exception chain, in the pipeline's display
 * data or in its serialized transforms. (The same through {@code ./sluice} in its own process, logs
 * at INFO: DirectSecuredKafkaIT in runners/direct.)
 */
class SecuredKafkaTest {
  private static final String USER = "alice";

  /** Unique per run, so finding it anywhere can only mean it leaked from this test. */
  private static final String PASSWORD = "s3cr3t-" + UUID.randomUUID();

  private static final String WRONG_PASSWORD = "wr0ng-" + UUID.randomUUID();

  private static final org.joda.time.Duration SIZE = org.joda.time.Duration.standardMinutes(10);
  private static final org.joda.time.Duration PERIOD = org.joda.time.Duration.standardMinutes(5);

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.secured(Map.of(USER, PASSWORD));

  @Test
  void theUsersConfigFileReadsAndWritesAndTheCountsAreTheModels(
      KafkaBroker broker, @TempDir Path dir) {
    List<String> lines =
        WordLinesGenerator.create().seed(21).events(2_000).malformedShare(0.01).generate().lines();
    broker.createTopic("words", 2);
    broker.send(records("words", lines, 2));
    Path config = broker.clientProperties(USER);

    JobRun.Result result =
        JobRun.of("word-count")
            .args(
                "--input=" + broker.uri("words") + "?stop=now&config=" + config,
                "--output=" + broker.uri("counts") + "?config=" + config + "&partitions=1",
                "--windowSize=10m",
                "--windowPeriod=5m")
            .run();

    assertThat(result.stderr(), result.exitCode(), equalTo(Sluice.OK));
    assertThat(result.stderr(), not(containsString(PASSWORD)));
    List<String> expected = SlidingWordCountModel.compute(lines, SIZE, PERIOD);
    assertThat(expected.size(), greaterThan(100));
    // Read back as the user, not as the broker's own account.
    List<String> written =
        Topics.readRange(
                broker.bootstrapServers(),
                "counts",
                Duration.ofSeconds(60),
                ScramUser.of(USER, PASSWORD).clientConfig())
            .stream()
            .map(ConsumerRecord::value)
            .collect(Collectors.toList());
    assertThat(written, containsInAnyOrder(expected.toArray()));
  }

  @Test
  void aWrongPasswordIsRefusedBeforeLaunchInOneLineWithoutTheSecret(
      KafkaBroker broker, @TempDir Path dir) {
    broker.createTopic("words-wrong-password", 1);
    Path config =
        ScramUser.of(USER, WRONG_PASSWORD).writeClientProperties(dir.resolve("wrong.properties"));
    String[] flags = {
      "--input=" + broker.uri("words-wrong-password") + "?stop=now&config=" + config,
      "--output=file:" + dir.resolve("out")
    };

    String line = refusedInOneLine(flags, WRONG_PASSWORD);

    assertThat(line, containsString("--input: the Kafka broker at " + broker.bootstrapServers()));
    assertThat(line, containsString("authentication failed (SASL SCRAM-SHA-256"));
    assertThat(
        line,
        containsString("check the user name and password in the config file '" + config + "'"));
    assertThat(line, not(containsString("no answer"))); // refused at once, not timed out
    assertNoSecretInTheExceptionChain(flags, WRONG_PASSWORD);
  }

  @Test
  void anUnknownUserIsRefusedBeforeLaunchNamingTheOutputOption(
      KafkaBroker broker, @TempDir Path dir) throws IOException {
    Path input = dir.resolve("in.jsonl");
    WordLinesGenerator.create().seed(22).events(50).writeTo(input);
    Path config =
        ScramUser.of("mallory", PASSWORD).writeClientProperties(dir.resolve("mallory.properties"));
    String[] flags = {
      "--input=file:" + input,
      "--output=" + broker.uri("counts-mallory") + "?config=" + config + "&partitions=1"
    };

    String line = refusedInOneLine(flags, PASSWORD);

    assertThat(line, containsString("--output: the Kafka broker at " + broker.bootstrapServers()));
    assertThat(line, containsString("authentication failed (SASL SCRAM-SHA-256"));
    assertThat(line, containsString("'" + config + "'"));
    assertNoSecretInTheExceptionChain(flags, PASSWORD);
  }

  @Test
  void aMalformedLoginLineIsNamedByItsFileNotQuoted(KafkaBroker broker, @TempDir Path dir)
      throws IOException {
    broker.createTopic("words-malformed", 1);
    Path config = dir.resolve("malformed.properties");
    // The JAAS line lacks its closing ';': Kafka cannot make a client from it.
    Files.writeString(
        config,
        "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"alice\" password=\""
            + PASSWORD
            + "\"\n");
    String[] flags = {
      "--input=" + broker.uri("words-malformed") + "?stop=now&config=" + config,
      "--output=file:" + dir.resolve("out")
    };

    String line = refusedInOneLine(flags, PASSWORD);

    assertThat(
        line,
        containsString("--input: cannot make a Kafka client for " + broker.bootstrapServers()));
    assertThat(line, containsString("(config file '" + config + "')"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KafkaRuns.runWordCount(flags));
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString(), not(containsString(PASSWORD)));
  }

  @Test
  void aClientThatDoesNotLogInReadsNothing(KafkaBroker broker, @TempDir Path dir) {
    broker.createTopic("words-open", 1);
    broker.send(records("words-open", List.of("{\"not\":\"for you\"}"), 1));
    // A plain Kafka client: the broker closes its connection, so it never gets an answer.
    KafkaConsumer<String, String> plain =
        Topics.consumer(broker.bootstrapServers(), Duration.ofSeconds(5));
    try {
      assertThrows(
          org.apache.kafka.common.errors.TimeoutException.class,
          () -> plain.partitionsFor("words-open"));
    } finally {
      KafkaClients.close(plain);
    }
    // A pipeline without config=: refused before launch, pointed at config=.
    JobRun.Result result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                JobRun.of("word-count")
                    .args(
                        "--input=" + broker.uri("words-open") + "?stop=now",
                        "--output=file:" + dir.resolve("out"))
                    .run());
    assertThat(result.stderr(), result.exitCode(), equalTo(Sluice.USAGE));
    assertThat(
        result.stderr(),
        containsString("--input: no answer from a Kafka broker at " + broker.bootstrapServers()));
    assertThat(result.stderr(), containsString("requires a login (SASL)"));
    assertThat(result.stderr(), containsString("config=PATH"));
  }

  @Test
  void thePipelinesGraphHoldsTheFilesNameButNotItsPassword(KafkaBroker broker) {
    broker.createTopic("words-graph", 1);
    Path config = broker.clientProperties(USER);
    SlidingWordCount.Options options =
        PipelineOptionsFactory.fromArgs(
                "--input=" + broker.uri("words-graph") + "?stop=now&config=" + config,
                "--output=" + broker.uri("counts-graph") + "?config=" + config + "&partitions=1")
            .withValidation()
            .as(SlidingWordCount.Options.class);
    Pipeline pipeline = SlidingWordCount.build(options);

    StringBuilder displayData = new StringBuilder(options.toString());
    ByteArrayOutputStream serialized = new ByteArrayOutputStream();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            visit(node);
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            visit(node);
          }

          private void visit(TransformHierarchy.Node node) {
            if (node.getTransform() == null) {
              return;
            }
            displayData.append(DisplayData.from(node.getTransform())).append('\n');
            try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
              out.writeObject(node.getTransform());
            } catch (IOException e) {
              // a transform that does not serialize is not shipped to workers either
            }
          }
        });

    assertThat(displayData.toString(), containsString(config.toString()));
    assertThat(displayData.toString(), not(containsString(PASSWORD)));
    assertThat(displayData.toString(), not(containsString("jaas")));
    assertThat(serialized.size(), greaterThan(1_000));
    assertThat(serialized.toString(StandardCharsets.ISO_8859_1), not(containsString(PASSWORD)));
  }

  /** Runs word-count through the launcher; expects exit 2 and one line without {@code secret}. */
  private static String refusedInOneLine(String[] flags, String secret) {
    JobRun.Result result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> JobRun.of("word-count").args(flags).run());
    assertThat(result.stderr(), result.exitCode(), equalTo(Sluice.USAGE));
    assertThat(result.stderr(), result.stderr().strip().lines().count(), equalTo(1L));
    assertThat(result.stderr(), not(containsString(secret)));
    assertThat(result.stderr(), not(containsString("Exception")));
    return result.stderr().strip();
  }

  /** The same flags built directly: no message or stack trace in the chain holds {@code secret}. */
  private static void assertNoSecretInTheExceptionChain(String[] flags, String secret) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KafkaRuns.runWordCount(flags));
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString(), containsString("authentication failed"));
    assertThat(trace.toString(), not(containsString(secret)));
  }
}
