package dev.sluice.runners;

import static dev.sluice.testing.conformance.LauncherConformance.sluice;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.testing.conformance.LauncherConformance.Result;
import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import dev.sluice.testing.kafka.ScramUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sluice run word-count} in its own process against a broker that requires SASL/SCRAM
 * logins, everything it prints (stdout and stderr, engine logs at INFO) searched for the password:
 * a run with the right {@code config=} file gives the model's counts, one with a wrong password
 * ends before launch in one line (exit 2). The passwords are random per run.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // each launcher run is bounded at 5 min
class DirectSecuredKafkaIT {
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cr3t-" + UUID.randomUUID();
  private static final String WRONG_PASSWORD = "wr0ng-" + UUID.randomUUID();
  private static final Map<String, String> INFO = Map.of("SLUICE_LOG_LEVEL", "INFO");

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.secured(Map.of(USER, PASSWORD));

  @Test
  void theLauncherReadsAndWritesWithTheConfigFileAndPrintsNoPasswordAtInfo(
      KafkaBroker broker, @TempDir Path dir) throws Exception {
    List<String> lines = WordLinesGenerator.create().seed(31).events(1_000).generate().lines();
    broker.createTopic("words", 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    lines.forEach(line -> records.add(new ProducerRecord<>("words", line)));
    broker.send(records);
    Path config = broker.clientProperties(USER);

    Result result =
        sluice(
            INFO,
            "run",
            "word-count",
            "--input=" + broker.uri("words") + "?stop=now&config=" + config,
            "--output=" + broker.uri("counts") + "?config=" + config + "&partitions=1",
            "--windowSize=10m",
            "--windowPeriod=5m");

    assertThat(result.output(), result.exitCode(), equalTo(0));
    // INFO was on, and Kafka printed its client settings, the login among them, masked.
    assertThat(result.output(), containsString("ConsumerConfig values"));
    assertThat(result.output(), containsString("sasl.jaas.config = [hidden]"));
    assertThat(result.output(), not(containsString(PASSWORD)));
    List<String> expected =
        SlidingWordCountModel.compute(
            lines,
            org.joda.time.Duration.standardMinutes(10),
            org.joda.time.Duration.standardMinutes(5));
    assertThat(expected.size(), greaterThan(100));
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
  void aWrongPasswordIsOneLineBeforeLaunchAndNotPrintedEvenAtInfo(
      KafkaBroker broker, @TempDir Path dir) throws Exception {
    broker.createTopic("words-wrong", 1);
    Path config =
        ScramUser.of(USER, WRONG_PASSWORD).writeClientProperties(dir.resolve("wrong.properties"));
    String[] args = {
      "run",
      "word-count",
      "--input=" + broker.uri("words-wrong") + "?stop=now&config=" + config,
      "--output=file:" + dir.resolve("out")
    };

    Result quiet = sluice(args);
    assertThat(quiet.output(), quiet.exitCode(), equalTo(2));
    assertThat(quiet.output(), quiet.output().strip().lines().count(), equalTo(1L));
    assertThat(
        quiet.output(),
        containsString(
            "sluice: --input: the Kafka broker at "
                + broker.bootstrapServers()
                + " refused the login: authentication failed (SASL SCRAM-SHA-256"));
    assertThat(quiet.output(), containsString("in the config file '" + config + "'"));
    assertThat(quiet.output(), not(containsString(WRONG_PASSWORD)));

    Result info = sluice(INFO, args);
    assertThat(info.output(), info.exitCode(), equalTo(2));
    assertThat(info.output(), containsString("sasl.jaas.config = [hidden]"));
    assertThat(info.output(), not(containsString(WRONG_PASSWORD)));
  }
}
