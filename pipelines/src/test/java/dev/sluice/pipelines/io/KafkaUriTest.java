package dev.sluice.pipelines.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaUriTest {
  @Test
  void aPlainTopicIsAnUnboundedReadFromTheEarliestOffset() {
    KafkaUri uri = KafkaUri.parse("--input", "kafka://127.0.0.1:9092/words");
    assertEquals("127.0.0.1:9092", uri.bootstrapServers());
    assertEquals("words", uri.topic());
    assertFalse(uri.isBounded());
    assertEquals(KafkaUri.StartKind.EARLIEST, uri.startKind());
    assertNull(uri.group());
    assertEquals(KafkaUri.DEFAULT_OUT_OF_ORDER, uri.maxOutOfOrderness());
  }

  @Test
  void readsEveryParameter() {
    KafkaUri uri =
        KafkaUri.parse(
            "--input",
            "kafka://a:1,b:2/t.x-1?group=g1&start=2026-01-01T00:00:00Z&stop=0:10,2:30"
                + "&out-of-order=5m&idle=2s&fetch.min.bytes=1&key=word&partitions=3"
                + "&delivery=exactly-once");
    assertEquals("a:1,b:2", uri.bootstrapServers());
    assertEquals("t.x-1", uri.topic());
    assertEquals("g1", uri.group());
    assertEquals(KafkaUri.StartKind.TIME, uri.startKind());
    assertEquals(1_767_225_600_000L, uri.startTimeMillis().longValue());
    assertEquals(KafkaUri.StopKind.PARTITION_OFFSETS, uri.stopKind());
    assertEquals(Map.of(0, 10L, 2, 30L), uri.stopOffsets());
    assertEquals(Duration.standardMinutes(5), uri.maxOutOfOrderness());
    assertEquals(Duration.standardSeconds(2), uri.idleAfter());
    assertEquals(Map.of("fetch.min.bytes", "1"), uri.clientProperties());
    assertEquals("word", uri.keyField());
    assertEquals(3, uri.partitions());
    assertTrue(uri.exactlyOnce());
    assertTrue(uri.isBounded());
  }

  @Test
  void stopsAtNowAnOffsetOrATime() {
    assertEquals(KafkaUri.StopKind.NOW, KafkaUri.parse("f", "kafka://h:1/t?stop=now").stopKind());
    KafkaUri offset = KafkaUri.parse("f", "kafka://h:1/t?stop=1000");
    assertEquals(KafkaUri.StopKind.OFFSET, offset.stopKind());
    assertEquals(1000L, offset.stopOffset());
    KafkaUri time = KafkaUri.parse("f", "kafka://h:1/t?stop=2026-01-01T01:00:00%2B01:00");
    assertEquals(KafkaUri.StopKind.TIME, time.stopKind());
    assertEquals(1_767_225_600_000L, time.stopTimeMillis());
  }

  @Test
  void errorsNameTheFlagAndWhatIsAllowed() {
    assertMessage("kafka://h:1/t?stop=soon", "--input", "stop=soon", "allowed: now");
    assertMessage(
        "kafka://h:1/t?start=yesterday", "--input", "start=yesterday", "earliest, latest");
    assertMessage("kafka://h/t", "--input", "'h'", "host:port");
    assertMessage("kafka://h:1/", "--input", "host:port/topic");
    assertMessage("kafka://h:1/bad topic", "--input", "'bad topic'", "legal Kafka topic");
    assertMessage("kafka://h:1/t?colour=red", "--input", "'colour'", "group");
    assertMessage("kafka://h:1/t?delivery=maybe", "--input", "at-least-once, exactly-once");
    assertMessage("kafka://h:1/t?partitions=0", "--input", "partitions=0", "positive");
    assertMessage("kafka://h:1/t?out-of-order=soon", "--input out-of-order", "'soon'");
    assertMessage("kafka://h:1/t?sink-id=run-1", "--input", "only with delivery=exactly-once");
    assertMessage(
        "kafka://h:1/t?delivery=exactly-once&sink-id=a%20b", "--input", "sink-id=a b", "letters");
  }

  @Test
  void anExactlyOnceSinkKeepsTheIdItIsGiven() {
    assertEquals(
        "nightly-7",
        KafkaUri.parse("--output", "kafka://h:1/t?delivery=exactly-once&sink-id=nightly-7")
            .sinkId());
    assertEquals(null, KafkaUri.parse("--output", "kafka://h:1/t?delivery=exactly-once").sinkId());
  }

  @Test
  void refusesSecretsOnTheCommandLineAndNeverEchoesThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KafkaUri.parse("--input", "kafka://h:1/t?ssl.keystore.password=hunter2"));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("ssl.keystore.password"),
            containsString("config="),
            not(containsString("hunter2"))));
    assertThrows(
        IllegalArgumentException.class,
        () -> KafkaUri.parse("--input", "kafka://h:1/t?sasl.jaas.config=x"));
  }

  @Test
  void readsClientSecretsFromThePropertiesFileOnlyWhenAClientIsMade(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "security.protocol=SASL_SSL\nsasl.jaas.config=secret-value\n");
    KafkaUri uri = KafkaUri.parse("--input", "kafka://h:1/t?config=" + file + "&linger.ms=5");

    assertThat(uri.toString(), not(containsString("secret-value")));
    Map<String, Object> config = uri.clientConfig();
    assertEquals("secret-value", config.get("sasl.jaas.config"));
    assertEquals("5", config.get("linger.ms"));
    assertEquals("h:1", config.get("bootstrap.servers"));
  }

  @Test
  void redactMasksTheFilesSecretValuesAndTheJaasPasswordInAMessage(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "sasl.mechanism=SCRAM-SHA-256\n"
            + "ssl.key.password=k3y-pass\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"alice\" password=\"pa55-w0rd\";\n");
    KafkaUri uri = KafkaUri.parse("--input", "kafka://h:1/t?config=" + file);

    assertEquals(
        "bad token pa55 near [hidden]; key [hidden]; user alice; SCRAM-SHA-256",
        uri.redact("bad token pa55 near pa55-w0rd; key k3y-pass; user alice; SCRAM-SHA-256"));
    assertEquals(
        "entry [hidden] not terminated",
        uri.redact(
            "entry org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"alice\" password=\"pa55-w0rd\"; not terminated"));
    assertEquals("(no message)", uri.redact(null));
    assertEquals(
        "pa55-w0rd",
        KafkaUri.parse("--input", "kafka://h:1/t").redact("pa55-w0rd"),
        "without a config file there is nothing to mask");
  }

  @Test
  void aMissingPropertiesFileFailsBeforeLaunch(@TempDir Path dir) {
    assertMessage(
        "kafka://h:1/t?config=" + dir.resolve("nope.properties"), "--input", "cannot read");
  }

  @Test
  void deadLettersGoNextToTheOutput() {
    assertEquals(
        "kafka://h:1/counts.dead-letters?partitions=2",
        WriteLines.deadLettersFor("kafka://h:1/counts?partitions=2"));
    assertEquals("file:/out/c.dead-letters", WriteLines.deadLettersFor("file:/out/c"));
  }

  @Test
  void refusesAPortOutsideOneTo65535() {
    assertMessage("kafka://h:0/t", "--input: broker address 'h:0'", "a port is 1 to 65535");
    assertMessage("kafka://a:1,b:65536/t", "broker address 'b:65536'", "a port is 1 to 65535");
    assertEquals("h:65535", KafkaUri.parse("--input", "kafka://h:65535/t").bootstrapServers());
  }

  @Test
  void refusesATimeRangeThatStartsAfterItStops() {
    assertMessage(
        "kafka://h:1/t?start=2026-01-02T00:00:00Z&stop=2026-01-01T00:00:00Z",
        "--input: start=2026-01-02T00:00:00Z is after stop=2026-01-01T00:00:00Z",
        "at or before the stop");
    // An empty range (start = stop) is allowed: it reads nothing, as asked.
    String empty = "kafka://h:1/t?start=2026-01-01T00:00:00Z&stop=2026-01-01T00:00:00Z";
    assertTrue(KafkaUri.parse("--input", empty).isBounded());
  }

  @Test
  void aReadParameterOnAnOutputOrAWriteParameterOnAnInputIsRefusedNotIgnored() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KafkaUri.parse("--output", "kafka://h:1/t?stop=now").forWriting("--output"));
    assertEquals(
        "--output: stop= is for an input, not an output; an output takes delivery=, key=,"
            + " partitions=, sink-id=, config= and Kafka client properties",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KafkaUri.parse("--input", "kafka://h:1/t?partitions=3").forReading("--input"));
    assertThat(e.getMessage(), containsString("--input: partitions= is for an output"));
    // What each side takes passes, client properties and config= on both.
    KafkaUri.parse("--input", "kafka://h:1/t?group=g&stop=now&fetch.min.bytes=1")
        .forReading("--input");
    KafkaUri.parse("--output", "kafka://h:1/t?partitions=3&key=id&linger.ms=5")
        .forWriting("--output");
  }

  private static void assertMessage(String uri, String... parts) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KafkaUri.parse("--input", uri));
    for (String part : parts) {
      assertThat(e.getMessage(), containsString(part));
    }
  }
}
