package dev.sluice.testing.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.launcher.kafka.KafkaService;
import dev.sluice.launcher.kafka.Topics;
import dev.sluice.launcher.service.LocalService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./sluice kafka start|stop|status}: a real broker (KafkaBrokerMain) in its own JVM. */
class KafkaServiceTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private KafkaService service;

  @BeforeEach
  void setUp() {
    // The default folder is elsewhere, so every hint names --dir.
    service =
        new KafkaService(
            dir.resolve("the-default"),
            new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stopWhatIsLeft() throws InterruptedException {
    service.stop(dir); // a broker of a failed test; it would stop itself after --for anyway
  }

  private String out() {
    String text = outBytes.toString(StandardCharsets.UTF_8);
    outBytes.reset();
    return text;
  }

  private String err() {
    String text = errBytes.toString(StandardCharsets.UTF_8);
    errBytes.reset();
    return text;
  }

  @Test
  void startsListsTopicsRefusesASecondStartAndStops() throws Exception {
    // A pid file left by a dead broker, naming a live process of another program (this JVM).
    long other = ProcessHandle.current().pid();
    Files.writeString(dir.resolve("broker.pid"), other + "\n");

    assertEquals(0, service.start(dir, 0, "10m"), err());

    String bootstrap = Files.readString(dir.resolve("bootstrap")).trim();
    long pid = LocalService.readPid(dir.resolve("broker.pid")).orElseThrow();
    assertTrue(pid != other, "a new broker, not the stale pid");
    assertEquals(
        "Kafka broker ready at "
            + bootstrap
            + " (data in "
            + dir
            + ", pid "
            + pid
            + ", stops itself after 10m); stop it with ./sluice kafka stop --dir="
            + dir
            + "\n",
        out());
    ProcessHandle broker = ProcessHandle.of(pid).orElseThrow();
    assertThat(
        LocalService.commandLine(broker).orElseThrow(),
        containsString(KafkaBrokerMain.class.getName()));

    try (Admin admin = Topics.admin(bootstrap, Duration.ofSeconds(30))) {
      admin
          .createTopics(List.of(new NewTopic("service-topic", 3, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    assertEquals(0, service.status(dir), err());
    String status = out();
    assertThat(status, startsWith("Kafka broker running from " + dir + " (pid " + pid + ")\n"));
    assertThat(status, containsString("service-topic"));

    assertEquals(0, service.start(dir, 0, "10m"));
    assertEquals(
        "A Kafka broker from "
            + dir
            + " is already running (pid "
            + pid
            + ") at "
            + bootstrap
            + "; stop it with ./sluice kafka stop --dir="
            + dir
            + "\n",
        out());
    assertEquals(pid, LocalService.readPid(dir.resolve("broker.pid")).orElseThrow());

    assertEquals(0, service.stop(dir));
    assertThat(
        out(), startsWith("Stopped the Kafka broker (pid " + pid + ") from " + dir + " in "));
    assertFalse(broker.isAlive());
    assertFalse(Files.exists(dir.resolve("broker.pid")));
    assertFalse(Files.exists(dir.resolve("bootstrap")), "the broker removes it when it stops");

    assertEquals(1, service.status(dir));
    assertEquals(
        "No Kafka broker running from "
            + dir
            + "; start one with ./sluice kafka start --dir="
            + dir
            + "\n",
        out());
    assertEquals(0, service.stop(dir));
    assertEquals(
        "No Kafka broker running from " + dir + " (no " + dir.resolve("broker.pid") + ").\n",
        out());
  }

  @Test
  void aStalePidFileIsRemovedAndItsProcessLeftAlone() throws Exception {
    long other = ProcessHandle.current().pid();
    Files.writeString(dir.resolve("broker.pid"), other + "\n");
    Files.writeString(dir.resolve("bootstrap"), "127.0.0.1:1\n");

    assertEquals(1, service.status(dir));
    assertThat(out(), startsWith("No Kafka broker running from " + dir + ";"));
    assertEquals(0, service.stop(dir));

    assertEquals(
        "No Kafka broker running from "
            + dir
            + ": pid "
            + other
            + " is not a running Kafka broker; removed the stale "
            + dir.resolve("broker.pid")
            + ".\n",
        out());
    assertFalse(Files.exists(dir.resolve("broker.pid")));
    assertFalse(Files.exists(dir.resolve("bootstrap")));
  }

  @Test
  void aFlagTheBrokerRefusesIsItsOneLineAndExit2() throws Exception {
    assertEquals(2, service.start(dir, 0, "12"));

    assertThat(err(), startsWith("sluice kafka broker: --for: '12' is not a duration"));
    assertEquals("", out());
    assertFalse(Files.exists(dir.resolve("broker.pid")));
  }
}
