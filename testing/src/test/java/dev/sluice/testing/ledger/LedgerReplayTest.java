package dev.sluice.testing.ledger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.postgres.PostgresServer;
import dev.sluice.pipelines.ledger.LedgerEvent;
import dev.sluice.pipelines.ledger.LedgerModel;
import dev.sluice.pipelines.ledger.LedgerProjection;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.conformance.LedgerCommandsConformance;
import dev.sluice.testing.conformance.LedgerTables;
import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import dev.sluice.testing.postgres.PostgresExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event sourcing end to end on the DirectRunner, with Kafka's own broker and a real PostgreSQL:
 * generated commands (refused, repeated and unreadable ones included) in a topic → the command side
 * appends the event log to a topic → the projection streams it into the read model, which reaches
 * {@link LedgerModel}'s fold of the accepted events; then the read model is dropped and rebuilt by
 * replaying the log from the beginning as a batch, and it is the same table the stream maintained.
 */
@ExtendWith({KafkaBrokerExtension.class, PostgresExtension.class})
class LedgerReplayTest {
  @TempDir Path dir;

  @Test
  void theStreamedReadModelIsTheFoldAndAReplayRebuildsTheSameTable(
      KafkaBroker broker, PostgresServer db) throws Exception {
    GeneratedEvents commands = LedgerCommandsConformance.commands(31, 2_000);
    broker.createTopic("commands", 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < commands.lines().size(); i++) {
      records.add(
          new ProducerRecord<>(
              "commands",
              0,
              commands.eventTimes().get(i),
              commands.keys().get(i),
              commands.lines().get(i)));
    }
    broker.send(records);

    // The command side, over the topic so far: the event log, keyed by account, in 2 partitions.
    run(
        "ledger-commands",
        "--input=" + broker.uri("commands") + "?stop=now",
        "--output=" + broker.uri("events") + "?partitions=2",
        "--progressEvery=off");
    List<LedgerEvent> expectedEvents = LedgerModel.decide(commands.lines()).events();
    Map<String, LedgerModel.Balance> expected = LedgerModel.balances(expectedEvents);
    assertThat(expected.size(), greaterThan(30));

    // The projection as a stream over the log: its balances reach the fold.
    LedgerProjection.Options options =
        PipelineOptionsFactory.fromArgs(
                "--input=" + broker.uri("events") + "?idle=1s",
                "--output=" + db.jdbcUrl(),
                "--deadLetters=file:" + dir.resolve("stream-dead"))
            .withValidation()
            .as(LedgerProjection.Options.class);
    options.as(DirectOptions.class).setBlockOnRun(false);
    PipelineResult stream = LedgerProjection.build(options).run();
    Map<String, LedgerModel.Balance> streamed;
    Map<String, String> streamedHours;
    try {
      awaitBalances(db, expected, Duration.ofSeconds(120));
      // Stop the stream before reading the tables: what they hold then is all it wrote, a later
      // pane that changed anything included.
      stream.cancel();
      PipelineResult.State state =
          stream.waitUntilFinish(org.joda.time.Duration.standardSeconds(60));
      assertThat("the stream stopped", state != null && state.isTerminal(), equalTo(true));
      streamed = LedgerTables.balances(db);
      streamedHours = LedgerTables.hourly(db);
    } finally {
      stream.cancel();
    }
    assertThat(streamed, equalTo(expected));
    assertThat(streamedHours.size(), greaterThan(0));

    // Drop the read model and replay the whole log as a batch: the same table.
    LedgerTables.drop(db);
    run(
        "ledger-projection",
        "--input=" + broker.uri("events") + "?stop=now",
        "--output=" + db.jdbcUrl(),
        "--deadLetters=file:" + dir.resolve("replay-dead"),
        "--progressEvery=off");
    assertThat(LedgerTables.balances(db), equalTo(streamed));
    // The stream wrote the hours its watermark had closed; the replay has those, the same, and
    // the last hours the stream still held open.
    Map<String, String> replayedHours = LedgerTables.hourly(db);
    Map<String, String> closedInStream = new TreeMap<>(replayedHours);
    closedInStream.keySet().retainAll(streamedHours.keySet());
    assertThat(closedInStream, equalTo(streamedHours));
    assertThat(replayedHours.size() >= streamedHours.size(), equalTo(true));
  }

  private static void run(String job, String... flags) {
    JobRun.of(job).args(flags).ok();
  }

  private static Map<String, LedgerModel.Balance> awaitBalances(
      PostgresServer db, Map<String, LedgerModel.Balance> expected, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, LedgerModel.Balance> got = Map.of();
    while (System.nanoTime() < deadline) {
      got = LedgerTables.balances(db);
      if (got.equals(expected)) {
        return got;
      }
      Thread.sleep(500);
    }
    return got; // the caller's assertion shows the difference
  }
}
