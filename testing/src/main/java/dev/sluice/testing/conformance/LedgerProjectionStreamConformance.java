package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.launcher.postgres.PostgresServer;
import dev.sluice.pipelines.ledger.LedgerEvent;
import dev.sluice.pipelines.ledger.LedgerModel;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import dev.sluice.testing.postgres.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./sluice run ledger-projection} as a live stream on one runner: the model's event log is
 * fed to a topic (2 partitions keyed by account, as the command side writes it) in bursts while the
 * job runs; the read model in a real PostgreSQL must reach {@link LedgerModel}'s fold: every
 * account's balance and version, and exactly the hourly history rows of the hours the watermark has
 * closed (an hour ending at or before the newest event time minus the out-of-order bound), nothing
 * for the hours still open. The job is stopped before the tables are read, so what they hold is all
 * it wrote. A runner module extends this class and says how to select its runner.
 */
@ExtendWith({KafkaBrokerExtension.class, PostgresExtension.class})
public abstract class LedgerProjectionStreamConformance {
  private static final Duration OUT_OF_ORDER = Duration.ofSeconds(60);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration RESULTS_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);

  /** The flags that select this runner, e.g. {@code --runner=flink}. */
  protected abstract List<String> runnerFlags();

  @Test
  void aLiveEventLogFoldsIntoTheModelsBalancesAndClosedHours(KafkaBroker broker, PostgresServer db)
      throws Exception {
    List<LedgerEvent> events =
        LedgerModel.decide(LedgerCommandsConformance.commands(29, 2_000).lines()).events();
    Map<String, LedgerModel.Balance> balances = LedgerModel.balances(events);
    long newest = events.stream().mapToLong(LedgerEvent::timestampMillis).max().orElseThrow();
    long closedBy = newest - OUT_OF_ORDER.toMillis();
    Map<String, String> closedHours = new TreeMap<>();
    LedgerProjectionConformance.expectedHourly(events)
        .forEach(
            (key, row) -> {
              long hour = Long.parseLong(key.substring(key.lastIndexOf(' ') + 1));
              if (hour + LedgerProjectionConformance.HOUR <= closedBy) {
                closedHours.put(key, row);
              }
            });
    assertThat(balances.size(), greaterThan(30));
    assertThat(closedHours.size(), greaterThan(30));

    String topic = "events-" + getClass().getSimpleName().toLowerCase();
    broker.createTopic(topic, 2);
    broker.createTopic(topic + "-dead", 1);
    LedgerTables.drop(db); // a fresh read model
    Map<String, LedgerModel.Balance> gotBalances;
    Map<String, String> gotHours;
    try (JobRun.Live live =
        JobRun.of("ledger-projection")
            .args(
                "--input="
                    + broker.uri(topic)
                    + "?out-of-order="
                    + OUT_OF_ORDER.toSeconds()
                    + "s&idle=1s",
                "--output=" + db.jdbcUrl(),
                // Kafka: a live stream to files is refused on Flink.
                "--deadLetters=" + broker.uri(topic + "-dead"),
                "--progressEvery=10s")
            .args(runnerFlags())
            .start(START_TIMEOUT)) {
      feedInBursts(broker, topic, events);
      long deadline = System.nanoTime() + RESULTS_TIMEOUT.toNanos();
      while (!(LedgerTables.balances(db).equals(balances)
          && LedgerTables.hourly(db).equals(closedHours))) {
        live.endedEarly()
            .ifPresent(
                run -> {
                  throw new AssertionError("the projection ended early: " + run.stderr());
                });
        if (System.nanoTime() - deadline > 0) {
          break; // the assertions below show what differs
        }
        Thread.sleep(500);
      }
      JobRun.Result run = live.stop(STOP_TIMEOUT);
      assertThat(run.stderr(), run.exitCode(), equalTo(0));
      gotBalances = LedgerTables.balances(db);
      gotHours = LedgerTables.hourly(db);
      if (run.counts().known()) {
        assertThat(run.stderr(), run.counts().parsed(), equalTo((long) events.size()));
        assertThat(run.stderr(), run.counts().late() + run.counts().deadLetters(), equalTo(0L));
      }
    }
    assertThat("balances", gotBalances, equalTo(balances));
    assertThat("hourly rows of the closed hours, and none else", gotHours, equalTo(closedHours));
    System.out.printf(
        "ledger-projection stream on %s: %d events, %d balances, %d closed hours%n",
        runnerFlags(), events.size(), gotBalances.size(), gotHours.size());
  }

  /** The log in event-time order, keyed by account, each at its time, in bursts with pauses. */
  private static void feedInBursts(KafkaBroker broker, String topic, List<LedgerEvent> events)
      throws InterruptedException {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (LedgerEvent e : events) {
      records.add(new ProducerRecord<>(topic, null, e.timestampMillis(), e.account(), e.toJson()));
    }
    StreamingConformance.sendInBursts(broker, records);
  }
}
