package dev.sluice.testing.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.testing.kafka.KafkaBrokerMain.Running;
import dev.sluice.testing.kafka.KafkaBrokerMain.Settings;
import dev.sluice.testing.kafka.KafkaBrokerMain.StartException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

class KafkaBrokerMainTest {

  @Test
  void defaultsToPort9092ForTwelveHours() {
    Settings settings = KafkaBrokerMain.parse(new String[] {"--dir=some/where"});

    assertEquals(Path.of("some/where").toAbsolutePath().normalize(), settings.dir);
    assertEquals(9092, settings.port);
    assertEquals(Duration.ofHours(12), settings.lifetime);
  }

  @Test
  void readsPortAndLifetime() {
    Settings settings =
        KafkaBrokerMain.parse(new String[] {"--port=0", "--for=30m", "--dir=/tmp/k"});

    assertEquals(Path.of("/tmp/k"), settings.dir);
    assertEquals(0, settings.port);
    assertEquals(Duration.ofMinutes(30), settings.lifetime);
    assertEquals(
        Duration.ofSeconds(90),
        KafkaBrokerMain.parse(new String[] {"--dir=d", "--for=90s"}).lifetime);
    assertEquals(
        Duration.ofDays(2), KafkaBrokerMain.parse(new String[] {"--dir=d", "--for=2d"}).lifetime);
  }

  private static String parseError(String... args) {
    return Cli.message(assertThrows(ParameterException.class, () -> KafkaBrokerMain.parse(args)));
  }

  @Test
  void badFlagsNameTheFlagAndWhatIsAllowed() {
    assertEquals("--dir is required: --dir=PATH", parseError());
    assertEquals("--dir needs a value: --dir=PATH", parseError("--dir="));
    assertEquals("--dir needs a value: --dir=PATH", parseError("--dir"));
    assertThat(
        parseError("--dir=d", "--port=70000"),
        startsWith(
            "--port: '70000' is not allowed; allowed: 0 (a free port) or a port from 1 to 65535"));
    assertThat(
        parseError("--dir=d", "--port=kafka"), startsWith("--port: 'kafka' is not a whole number"));
    assertThat(parseError("--dir=d", "--port=-1"), startsWith("--port: '-1' is not allowed"));
    assertThat(
        parseError("--dir=d", "--for=12"),
        startsWith(
            "--for: '12' is not a duration; use a whole number and a unit ms, s, m, h or d"));
    assertThat(
        parseError("--dir=d", "--for=0h"), startsWith("--for: '0h' must be longer than zero"));
    assertThat(parseError("--dir=d", "--for=1y"), startsWith("--for: '1y' is not a duration"));
    assertThat(parseError("--dir=d", "--for=400d"), containsString("allowed: up to 365d"));
    assertThat(
        parseError("--dir=d", "--lifetime=1h"),
        startsWith(
            "unknown flag --lifetime for broker; allowed: --dir=..., --for=..., --port=..."));
    assertThat(parseError("--dir=d", "9093"), startsWith("unexpected argument '9093'"));
  }

  @Test
  void aPortInUseIsReportedWithTheFlagToChooseAnother() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StartException e =
          assertThrows(
              StartException.class, () -> KafkaBrokerMain.checkPortFree(taken.getLocalPort()));

      assertEquals(
          "port "
              + taken.getLocalPort()
              + " on 127.0.0.1 is already in use (another Kafka broker?);"
              + " choose another with --port=N, or --port=0 for a free one",
          e.getMessage());
    }
  }

  @Test
  void writesTheBootstrapFileWhenReadyAndRemovesItWhenStopped(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("bootstrap"), "127.0.0.1:1\n"); // left by a killed broker
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    try (Running running =
        KafkaBrokerMain.start(new Settings(dir, 0, Duration.ofMinutes(5), "5m"), out)) {
      String bootstrap = running.broker().bootstrapServers();
      assertEquals(bootstrap + "\n", Files.readString(dir.resolve("bootstrap")));
      assertThat(bootstrap, startsWith("127.0.0.1:"));
      assertThat(
          log.toString(StandardCharsets.UTF_8),
          containsString(
              "Kafka broker ready at "
                  + bootstrap
                  + " (data in "
                  + dir
                  + ")"
                  + "; it stops itself after 5m"));
      running.broker().createTopic("kept", 1);
      running.broker().send(List.of(new ProducerRecord<>("kept", "k", "v")));
    }

    assertFalse(Files.exists(dir.resolve("bootstrap")));
    assertTrue(Files.exists(dir.resolve("log/meta.properties")), "the data stays in the folder");
    assertThat(log.toString(StandardCharsets.UTF_8), containsString("stopped"));

    // the folder is reused: a second broker on it still has the topic and its record
    try (Running again =
        KafkaBrokerMain.start(new Settings(dir, 0, Duration.ofMinutes(5), "5m"), out)) {
      assertEquals(1, again.broker().readAll("kept").size());
    }
  }
}
