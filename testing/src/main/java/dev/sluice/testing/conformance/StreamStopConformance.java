package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.testing.kafka.KafkaEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A live stream started as a user starts it ({@code ./sluice run word-count --input=kafka://...},
 * its own process) ends when told to: SIGTERM, or SIGINT as Ctrl-C sends it, makes the launcher
 * cancel the job through its runner and the process end within the launcher's stated bound (60 s
 * after the signal, the JVM is halted whatever still runs), exit 143, with a line that says it
 * stopped the job and no halt needed. A runner module extends this class as an integration test and
 * registers the broker ({@code KafkaBrokerExtension} or {@code KafkaProcessExtension}).
 */
public abstract class StreamStopConformance {
  /** The launcher's bound (StopOnSignal.HALT_AFTER) and a margin for the JVM's own exit. */
  private static final Duration STOP_WITHIN = Duration.ofSeconds(75);

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  /** The flags that select this runner, e.g. {@code --runner=flink}. */
  protected abstract List<String> runnerFlags();

  /** Whether the stream writes files (else a Kafka topic: Spark refuses file sinks in streams). */
  protected boolean writesFiles() {
    return true;
  }

  /**
   * Called once the launcher has ended on the signal: a runner whose job lives outside the
   * launcher's process (a cluster) checks here, bounded, that the job itself ended too.
   */
  protected void jobEnded() throws Exception {}

  @Test
  void sigtermStopsALiveStream(KafkaEndpoint broker) throws Exception {
    stopsOn("TERM", broker);
  }

  @Test
  void sigintStopsALiveStream(KafkaEndpoint broker) throws Exception {
    stopsOn("INT", broker);
  }

  private void stopsOn(String signal, KafkaEndpoint broker) throws Exception {
    String topic = "stop-on-" + signal.toLowerCase() + "-" + getClass().getSimpleName();
    broker.createTopic(topic, 2);
    List<String> lines = WordLinesGenerator.create().seed(5).events(300).generate().lines();
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      records.add(new ProducerRecord<>(topic, i % 2, null, lines.get(i)));
    }
    broker.send(records);
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "stream-stop").toAbsolutePath()), signal);
    List<String> command =
        new ArrayList<>(
            List.of(
                // As from a terminal: SIGINT handled by default. A process started in the
                // background of a shell without job control (a CI script's `mvn ... &`) ignores
                // SIGINT, and a shell that starts with it ignored cannot trap it.
                "env",
                "--default-signal=INT",
                LauncherConformance.repoRoot().resolve("sluice").toString(),
                "run",
                "word-count",
                "--input=" + broker.uri(topic) + "?idle=1s",
                "--output="
                    + (writesFiles()
                        ? "file:" + dir.resolve("counts")
                        : broker.uri(topic + "-counts") + "?partitions=2"),
                "--windowSize=10m",
                "--windowPeriod=5m"));
    command.addAll(runnerFlags());
    Path log = dir.resolve("launcher.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(LauncherConformance.repoRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().remove("SLUICE_DEBUG");
    builder.environment().remove("SLUICE_LOG_LEVEL");
    Process process = builder.start();
    try {
      awaitLine(process, log, "until stopped: Ctrl-C");
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .inheritIO()
              .start();
      assertThat("kill -" + signal, kill.waitFor(), equalTo(0));
      boolean ended = process.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
      String output = read(log);
      assertThat("ended within " + STOP_WITHIN + " of SIGTERM: " + output, ended);
      assertThat(output, process.exitValue(), equalTo(143));
      assertThat(output, containsString("sluice: stopping word-count: cancelling it on"));
      assertThat(output, not(containsString("halting it")));
      assertThat(output, not(containsString("cancelling word-count on")));
      jobEnded();
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  /** Waits until the launcher's log holds {@code text}, failing if it ends first or too late. */
  private static void awaitLine(Process process, Path log, String text) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!read(log).contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError("the launcher ended before the stream ran: " + read(log));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "the stream did not start within " + START_TIMEOUT + ": " + read(log));
      }
      Thread.sleep(250);
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
