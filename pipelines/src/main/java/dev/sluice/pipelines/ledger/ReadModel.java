package dev.sluice.pipelines.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The ledger's read model in PostgreSQL: its tables, the guarded upserts that keep them, and the
 * check of a {@code jdbc:postgresql://} location. Every write is an upsert keyed by account (and
 * hour) that changes a row only to a higher event {@code version}, so replaying the event log, or
 * receiving an event twice, never applies anything twice, and order does not matter.
 */
public final class ReadModel {
  private ReadModel() {}

  public static final String BALANCES = "ledger_balance";
  public static final String HOURLY = "ledger_balance_hourly";

  static final String CREATE_BALANCES =
      "CREATE TABLE IF NOT EXISTS "
          + BALANCES
          + " (account text PRIMARY KEY,"
          + " balance_cents bigint NOT NULL, version bigint NOT NULL,"
          + " updated_at timestamptz NOT NULL)";

  static final String CREATE_HOURLY =
      "CREATE TABLE IF NOT EXISTS "
          + HOURLY
          + " (account text NOT NULL,"
          + " hour_start timestamptz NOT NULL, closing_balance_cents bigint NOT NULL,"
          + " version bigint NOT NULL, money_in_cents bigint NOT NULL,"
          + " money_out_cents bigint NOT NULL, events bigint NOT NULL,"
          + " PRIMARY KEY (account, hour_start))";

  /** Balance and version of an account: only a higher version replaces a row. */
  static final String UPSERT_BALANCE =
      "INSERT INTO "
          + BALANCES
          + " (account, balance_cents, version, updated_at)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (account) DO UPDATE SET"
          + " balance_cents = EXCLUDED.balance_cents, version = EXCLUDED.version,"
          + " updated_at = EXCLUDED.updated_at WHERE "
          + BALANCES
          + ".version < EXCLUDED.version";

  /** An account's hour: only a pane that saw a higher version replaces a row. */
  static final String UPSERT_HOURLY =
      "INSERT INTO "
          + HOURLY
          + " (account, hour_start, closing_balance_cents, version,"
          + " money_in_cents, money_out_cents, events) VALUES (?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (account, hour_start) DO UPDATE SET"
          + " closing_balance_cents = EXCLUDED.closing_balance_cents,"
          + " version = EXCLUDED.version, money_in_cents = EXCLUDED.money_in_cents,"
          + " money_out_cents = EXCLUDED.money_out_cents, events = EXCLUDED.events"
          + " WHERE "
          + HOURLY
          + ".version < EXCLUDED.version";

  /**
   * Checks {@code url} (from option {@code flag}) names a PostgreSQL database and carries no
   * password.
   *
   * @throws IllegalArgumentException naming the flag, the value and what is allowed
   */
  public static void checkUrl(String flag, String url) {
    // The password check first: the other message repeats the value.
    if (url != null && url.toLowerCase(Locale.ROOT).contains("password")) {
      throw new IllegalArgumentException(
          flag
              + ": a password on the command line would show in process lists and logs; give"
              + " it in ~/.pgpass or PGPASSFILE instead");
    }
    if (url == null || !url.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException(
          flag
              + ": '"
              + url
              + "' is not a PostgreSQL location; use"
              + " jdbc:postgresql://HOST:PORT/DATABASE?user=NAME");
    }
  }

  /**
   * Creates the read model's tables if missing, before launch.
   *
   * @throws IllegalArgumentException naming the flag when the database cannot be reached
   */
  public static void createTables(String flag, String url) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(CREATE_BALANCES);
      s.execute(CREATE_HOURLY);
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          flag
              + ": cannot use the database at "
              + url
              + ": "
              + e.getMessage()
              + " (is PostgreSQL running there?)",
          e);
    }
  }
}
