package dev.sluice.testing.conformance;

import dev.sluice.launcher.postgres.PostgresServer;
import dev.sluice.pipelines.ledger.LedgerModel;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/** The ledger's read model as the tests read it back from PostgreSQL. */
public final class LedgerTables {
  private LedgerTables() {}

  /** {@code ledger_balance}: account → balance and version. */
  public static Map<String, LedgerModel.Balance> balances(PostgresServer db) throws SQLException {
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

  /** {@code ledger_balance_hourly}: "account hourStartMillis" → "closing version in out events". */
  public static Map<String, String> hourly(PostgresServer db) throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    String sql =
        "SELECT account, (extract(epoch FROM hour_start) * 1000)::bigint, closing_balance_cents,"
            + " version, money_in_cents, money_out_cents, events FROM ledger_balance_hourly";
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        rows.put(
            r.getString(1) + " " + r.getLong(2),
            r.getLong(3)
                + " "
                + r.getLong(4)
                + " "
                + r.getLong(5)
                + " "
                + r.getLong(6)
                + " "
                + r.getLong(7));
      }
    }
    return rows;
  }

  /** Drops both tables: a fresh read model (the projection creates them again). */
  public static void drop(PostgresServer db) throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS ledger_balance, ledger_balance_hourly");
    }
  }
}
