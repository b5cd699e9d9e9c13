package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A live stream whose input topic has partitions that never receive a record still closes its
 * windows: every partition but 0 stays empty (and, with more readers than partitions, some readers
 * have no partition at all), yet every window that must close (ending at or before the last event
 * time minus the out-of-order bound) has the model's results within the {@code idle=} bound plus a
 * margin for the runner to read, window and write them. On a cluster the readers of the empty
 * partitions run in other processes than the reader of partition 0, so their watermarks must not
 * depend on what their own process has seen ({@code EventTimePolicy}, docs/kafka.md).
 *
 * <p>The job is word-count, checked against its model like {@link StreamingConformance}: nothing
 * that is not in the model, nothing twice, nothing missing from the closed windows. A runner module
 * extends this class and says how to select its runner; the parallelism is set here.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class IdlePartitionsConformance {
  private static final Duration IDLE = Duration.ofSeconds(1);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /**
   * From the last record sent to the last closed window's result: the idle bound plus the runner's
   * bundles (≤ 1 s on Flink), the windowing and the Kafka write, on busy cores. A stalled watermark
   * never gets there.
   */
  private static final Duration RESULTS_WITHIN = IDLE.plus(Duration.ofSeconds(60));

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The flags that select this runner, e.g. {@code --runner=flink}; not the parallelism. */
  protected abstract List<String> runnerFlags();

  /**
   * The topic's partitions and the job's parallelism: more partitions than readers (a reader with
   * only empty partitions), and more readers than partitions (a reader with none).
   */
  protected Stream<Arguments> shapes() {
    return Stream.of(Arguments.of(4, 2), Arguments.of(1, 2));
  }

  @ParameterizedTest(name = "{0} partition(s), records in partition 0 only, parallelism {1}")
  @MethodSource("shapes")
  void windowsCloseWhileTheOtherPartitionsStayEmpty(
      int partitions, int parallelism, KafkaBroker broker) throws Exception {
    JobCase c = JobCases.named("word-count");
    GeneratedEvents events = c.eventsNoneLate();
    String name =
        "idle-" + partitions + "-" + parallelism + "-" + getClass().getSimpleName().toLowerCase();
    broker.createTopic(name + "-in", partitions);

    Instant closedBy = StreamingConformance.lastEventTime(events).minus(c.outOfOrder());
    List<String> model = c.model().apply(events.lines()).get("");
    List<String> closed = model.stream().filter(l -> !windowEnd(l).isAfter(closedBy)).toList();
    assertThat("the model closes windows with results", closed, is(not(empty())));

    double tookSeconds;
    List<String> flags = new ArrayList<>(runnerFlags());
    flags.add("--parallelism=" + parallelism);
    try (JobRun.Live live =
        JobRun.of(c.job())
            .args(
                "--input="
                    + broker.uri(name + "-in")
                    + "?out-of-order="
                    + c.outOfOrder().toSeconds()
                    + "s&idle="
                    + IDLE.toSeconds()
                    + "s",
                "--output=" + broker.uri(name + "-out") + "?partitions=1",
                "--progressEvery=10s")
            .args(c.flags())
            .args(flags)
            .start(START_TIMEOUT)) {
      List<ProducerRecord<String, String>> records = new ArrayList<>();
      for (int i = 0; i < events.lines().size(); i++) {
        records.add(
            new ProducerRecord<>(
                name + "-in",
                0,
                events.eventTimes().get(i),
                events.keys().get(i),
                events.lines().get(i)));
      }
      broker.send(records);
      long sent = System.nanoTime();
      long deadline = sent + RESULTS_WITHIN.toNanos();
      List<String> missing = BadInputCheck.minus(closed, written(broker, name));
      while (!missing.isEmpty()) {
        if (live.endedEarly().isPresent() || System.nanoTime() - deadline > 0) {
          throw new AssertionError(
              String.format(
                  "%d partition(s), parallelism %d: %d of %d results of the closed windows missing"
                      + " %s after the last record was sent, e.g. %s (a watermark held back by"
                      + " the empty partitions?); the launcher said: %s",
                  partitions,
                  parallelism,
                  missing.size(),
                  closed.size(),
                  RESULTS_WITHIN,
                  missing.get(0),
                  live.stderr()));
        }
        Thread.sleep(500);
        missing = BadInputCheck.minus(closed, written(broker, name));
      }
      tookSeconds = (System.nanoTime() - sent) / 1e9;
      JobRun.Result run = live.stop(STOP_TIMEOUT);
      assertThat(run.stderr(), run.exitCode(), equalTo(0));
    }

    List<String> got = written(broker, name);
    List<String> repeated = BadInputCheck.minus(got, new ArrayList<>(new HashSet<>(got)));
    assertThat("lines written twice", repeated, empty());
    assertThat("lines not in the model", BadInputCheck.minus(got, model), empty());
    System.out.printf(
        "%d partition(s), parallelism %d on %s: %d results of closed windows expected, all"
            + " there %.1f s after the last record was sent; %d written%n",
        partitions, parallelism, runnerFlags(), closed.size(), tookSeconds, got.size());
  }

  private static List<String> written(KafkaBroker broker, String name) {
    return broker.readAll(name + "-out").stream().map(ConsumerRecord::value).toList();
  }

  private static Instant windowEnd(String resultLine) {
    try {
      return Instant.parse(JSON.readTree(resultLine).get("window_end").asText());
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("not a result line: " + resultLine, e);
    }
  }
}
