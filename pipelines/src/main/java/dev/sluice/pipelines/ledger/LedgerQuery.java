package dev.sluice.pipelines.ledger;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The query side (behind {@code ./sluice ledger query|history ACCOUNT --db=URL}, whose command line
 * is the launcher's): answers from the read model in PostgreSQL only, never from the event log.
 * {@link #balance}: the account's balance and version; {@link #history}: its hours, oldest first,
 * with money in and out and the closing balance. Each returns the exit code: 0 with the answer, 1
 * for an account the read model does not have.
 */
public final class LedgerQuery {
  private LedgerQuery() {}

  public static int balance(Connection c, String account, PrintStream out, PrintStream err)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT balance_cents, version, updated_at FROM "
                + ReadModel.BALANCES
                + " WHERE account = ?")) {
      s.setString(1, account);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          err.println("ledger: no account '" + account + "' in the read model");
          return 1;
        }
        out.printf(
            "%s: balance %s (version %d, last event %s)%n",
            account,
            money(r.getLong(1)),
            r.getLong(2),
            r.getObject(3, java.time.OffsetDateTime.class).toInstant());
        return 0;
      }
    }
  }

  public static int history(Connection c, String account, PrintStream out, PrintStream err)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT hour_start, money_in_cents, money_out_cents, events, closing_balance_cents,"
                + " version FROM "
                + ReadModel.HOURLY
                + " WHERE account = ? ORDER BY hour_start")) {
      s.setString(1, account);
      try (ResultSet r = s.executeQuery()) {
        int rows = 0;
        while (r.next()) {
          if (rows++ == 0) {
            out.printf(
                "%-22s %12s %12s %7s %14s %8s%n",
                "hour (UTC)", "in", "out", "events", "closing", "version");
          }
          out.printf(
              "%-22s %12s %12s %7d %14s %8d%n",
              r.getObject(1, java.time.OffsetDateTime.class).toInstant(),
              money(r.getLong(2)),
              money(r.getLong(3)),
              r.getLong(4),
              money(r.getLong(5)),
              r.getLong(6));
        }
        if (rows == 0) {
          err.println("ledger: no history for account '" + account + "' in the read model");
          return 1;
        }
        return 0;
      }
    }
  }

  private static String money(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }
}
