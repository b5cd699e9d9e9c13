package dev.sluice.testing.ledger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.pipelines.cli.Sluice;
import dev.sluice.pipelines.ledger.LedgerEvent;
import dev.sluice.pipelines.ledger.LedgerModel;
import dev.sluice.pipelines.ledger.LedgerProjection;
import dev.sluice.testing.conformance.LedgerCommandsConformance;
import dev.sluice.testing.generate.GeneratedEvents;
import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import dev.sluice.testing.postgres.PostgresExtension;
import dev.sluice.testing.postgres.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
              "commands", 0, commands.eventTimes().get(i), commands.keys().get(i),
              commands.lines().get(i)));
    }
    broker.send(records);

    // The command side, over the topic so far: the event log, keyed by account, in 2 partitions.
    run("ledger-commands", "--input=" + broker.uri("commands") + "?stop=now",
        "--output=" + broker.uri("events") + "?partitions=2", "--progressEvery=off");
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
      streamed = awaitBalances(db, expected, Duration.ofSeconds(120));
      Thread.sleep(6_000); // a later pane that changed anything would show now
      streamed = balances(db);
      streamedHours = hourly(db);
    } finally {
      stream.cancel();
    }
    assertThat(streamed, equalTo(expected));
    assertThat(streamedHours.size(), greaterThan(0));

    // Drop the read model and replay the whole log as a batch: the same table.
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE ledger_balance, ledger_balance_hourly");
    }
    run("ledger-projection", "--input=" + broker.uri("events") + "?stop=now",
        "--output=" + db.jdbcUrl(), "--deadLetters=file:" + dir.resolve("replay-dead"),
        "--progressEvery=off");
    assertThat(balances(db), equalTo(streamed));
    // The stream wrote the hours its watermark had closed; the replay has those, the same, and
    // the last hours the stream still held open.
    Map<String, String> replayedHours = hourly(db);
    Map<String, String> closedInStream = new TreeMap<>(replayedHours);
    closedInStream.keySet().retainAll(streamedHours.keySet());
    assertThat(closedInStream, equalTo(streamedHours));
    assertThat(replayedHours.size() >= streamedHours.size(), equalTo(true));
  }

  private static void run(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "run";
    System.arraycopy(args, 0, full, 1, args.length);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Sluice.run(full, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8), code, equalTo(Sluice.OK));
  }

  private static Map<String, LedgerModel.Balance> awaitBalances(
      PostgresServer db, Map<String, LedgerModel.Balance> expected, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, LedgerModel.Balance> got = Map.of();
    while (System.nanoTime() < deadline) {
      got = balances(db);
      if (got.equals(expected)) {
        return got;
      }
      Thread.sleep(500);
    }
    return got; // the caller's assertion shows the difference
  }

  static Map<String, LedgerModel.Balance> balances(PostgresServer db) throws Exception {
    Map<String, LedgerModel.Balance> rows = new TreeMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT account, balance_cents, version FROM ledger_balance")) {
      while (r.next()) {
        rows.put(r.getString(1), new LedgerModel.Balance(r.getLong(2), r.getLong(3)));
      }
    }
    return rows;
  }

  static Map<String, String> hourly(PostgresServer db) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT account, hour_start, closing_balance_cents, version, money_in_cents,"
                    + " money_out_cents, events FROM ledger_balance_hourly")) {
      while (r.next()) {
        rows.put(
            r.getString(1) + " " + r.getString(2),
            r.getLong(3) + " " + r.getLong(4) + " " + r.getLong(5) + " " + r.getLong(6) + " "
                + r.getLong(7));
      }
    }
    return rows;
  }
}
