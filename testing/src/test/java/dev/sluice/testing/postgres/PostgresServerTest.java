package dev.sluice.testing.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.sluice.launcher.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test kit's PostgreSQL: a real server that keeps data, answers SQL, and leaves nothing. */
class PostgresServerTest {
  @Test
  void aServerStoresAndAnswersThenStopsLeavingNoProcessNorFolder() throws Exception {
    PostgresServer db = PostgresServer.start();
    Path dir = db.dir();
    long pid = db.pid().orElseThrow();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE accounts (id text PRIMARY KEY, balance bigint NOT NULL)");
      s.execute("INSERT INTO accounts VALUES ('a', 10), ('b', 20)");
      // An upsert, as the ledger's read model will do: only a newer version may win.
      s.execute(
          "INSERT INTO accounts VALUES ('a', 15) ON CONFLICT (id) DO UPDATE"
              + " SET balance = EXCLUDED.balance");
      List<String> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT id, balance FROM accounts ORDER BY id")) {
        while (r.next()) {
          rows.add(r.getString(1) + "=" + r.getLong(2));
        }
      }
      assertThat(rows, equalTo(List.of("a=15", "b=20")));
      try (ResultSet r = s.executeQuery("SHOW listen_addresses")) {
        r.next();
        assertThat(r.getString(1), equalTo("127.0.0.1"));
      }
      try (ResultSet r = s.executeQuery("SELECT version()")) {
        r.next();
        assertThat(r.getString(1), containsString("PostgreSQL"));
      }
    } finally {
      db.close();
    }
    assertThat(
        "postmaster " + pid + " alive after close",
        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
        is(false));
    assertThat("folder deleted", Files.exists(dir), is(false));
  }
}
