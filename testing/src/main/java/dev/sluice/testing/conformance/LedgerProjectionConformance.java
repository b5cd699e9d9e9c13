package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.launcher.postgres.PostgresServer;
import dev.sluice.pipelines.ledger.LedgerEvent;
import dev.sluice.pipelines.ledger.LedgerModel;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.postgres.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sluice run ledger-projection} on one runner, in batch from an event log file into a real
 * PostgreSQL: the balances equal the plain-Java fold of the accepted events (amounts summed, not
 * the balances the events carry), the hourly history equals an independent per-hour fold, and
 * duplicated or reordered events and a second replay change nothing. A runner module extends this
 * class and says how to select its runner.
 */
@ExtendWith(PostgresExtension.class)
public abstract class LedgerProjectionConformance {
  static final long HOUR = 3_600_000L;

  @TempDir Path dir;

  /** The flags that select this runner, e.g. {@code --runner=flink}. */
  protected abstract List<String> runnerFlags();

  @Test
  void theReadModelIsTheFoldOfTheLogAndAReplayChangesNothing(PostgresServer db) throws Exception {
    List<LedgerEvent> events =
        LedgerModel.decide(LedgerCommandsConformance.commands(23, 4_000).lines()).events();
    // The log as a projection may meet it: every event, a tenth of them twice, shuffled, plus
    // two lines that are not events.
    Random random = new Random(23);
    List<String> log = new ArrayList<>();
    for (LedgerEvent e : events) {
      log.add(e.toJson());
      if (random.nextInt(10) == 0) {
        log.add(e.toJson());
      }
    }
    log.add("{\"event_id\":\"x\"");
    log.add(
        "{\"event_id\":\"x\",\"command_id\":\"x\",\"type\":\"minted\",\"account\":\"a\","
            + "\"amount_cents\":1,\"balance_cents\":1,\"version\":1,\"ts\":\"2026-01-01T00:00:00Z\"}");
    Collections.shuffle(log, random);
    Path input = Files.write(dir.resolve("events.jsonl"), log, StandardCharsets.UTF_8);

    LedgerTables.drop(db); // a fresh read model
    String stderr = project(db, input);
    assertThat(stderr, containsString("2 dead letters"));
    Map<String, LedgerModel.Balance> expected = LedgerModel.balances(events);
    assertThat(expected.size(), greaterThan(30));
    assertThat(LedgerTables.balances(db), equalTo(expected));
    Map<String, String> hourly = LedgerTables.hourly(db);
    assertThat(hourly, equalTo(expectedHourly(events)));

    // A second replay of the same log: upserts guarded by version leave every row as it was.
    project(db, input);
    assertThat(LedgerTables.balances(db), equalTo(expected));
    assertThat(LedgerTables.hourly(db), equalTo(hourly));
  }

  private String project(PostgresServer db, Path input) {
    return JobRun.of("ledger-projection")
        .args(
            "--input=file:" + input,
            "--output=" + db.jdbcUrl(),
            "--deadLetters=file:" + dir.resolve("dead/events"),
            "--progressEvery=off")
        .args(runnerFlags())
        .ok()
        .stderr();
  }

  /**
   * The same, folded in plain Java: per account in version order, a running sum of amounts; per
   * hour of event time, money in and out, events, and the running sum and version at its end.
   */
  static Map<String, String> expectedHourly(List<LedgerEvent> events) {
    Map<String, List<LedgerEvent>> byAccount = new TreeMap<>();
    for (LedgerEvent e : events) {
      byAccount.computeIfAbsent(e.account(), a -> new ArrayList<>()).add(e);
    }
    Map<String, long[]> hours = new TreeMap<>(); // closing, version, in, out, events
    byAccount.forEach(
        (account, list) -> {
          list.sort((a, b) -> Long.compare(a.version(), b.version()));
          long running = 0;
          for (LedgerEvent e : list) {
            long amount = e.amountCents();
            boolean in =
                e.type() == LedgerEvent.Type.DEPOSITED
                    || e.type() == LedgerEvent.Type.TRANSFERRED_IN;
            boolean out =
                e.type() == LedgerEvent.Type.WITHDRAWN
                    || e.type() == LedgerEvent.Type.TRANSFERRED_OUT;
            running += in ? amount : out ? -amount : 0;
            long hour = Math.floorDiv(e.timestampMillis(), HOUR) * HOUR;
            long[] h = hours.computeIfAbsent(account + " " + hour, k -> new long[5]);
            h[0] = running;
            h[1] = e.version();
            h[2] += in ? amount : 0;
            h[3] += out ? amount : 0;
            h[4]++;
          }
        });
    Map<String, String> rows = new TreeMap<>();
    hours.forEach((k, h) -> rows.put(k, h[0] + " " + h[1] + " " + h[2] + " " + h[3] + " " + h[4]));
    return rows;
  }
}
