package dev.sluice.pipelines.risk;

import java.util.List;

/**
 * Small inputs whose alerts were worked out by hand from the rules, shared by the model's and the
 * pipeline's tests. Times are minutes after 2026-01-01T00:00Z (negative: the day before); windows
 * are 10 minutes every 5, so an event at 00:02 lies in [23:55, 00:05) and [00:00, 00:10).
 */
public final class RiskExamples {
  private RiskExamples() {}

  /** 10m windows every 5m, more than 5 txns, more than 5 x usual, more than 3 places. */
  public static final RiskRules RULES = RiskRules.of("10m", "5m", 5, 5.0, 3);

  /** 10m windows every 5m, more than 2 txns, more than 5 x usual, more than 2 places. */
  public static final RiskRules STRICT_CARD_RULES = RiskRules.of("10m", "5m", 2, 5.0, 2);

  /** An instant as {@code "2026-01-01T00:04:00Z"}; {@code "23:55"} is on the day before. */
  public static String at(String hhmm) {
    String day = hhmm.startsWith("23") ? "2025-12-31" : "2026-01-01";
    return day + "T" + hhmm + ":00Z";
  }

  public static String txn(
      String id, String hhmm, String account, String card, String amount, String country) {
    return String.format(
        "{\"type\":\"txn\",\"ts\":\"%s\",\"txn_id\":\"%s\",\"card\":\"%s\",\"account\":\"%s\","
            + "\"amount\":%s,\"currency\":\"EUR\",\"country\":\"%s\"}",
        at(hhmm), id, card, account, amount, country);
  }

  public static String txnInCity(
      String id, String hhmm, String account, String card, String amount, String city) {
    return String.format(
        "{\"type\":\"txn\",\"ts\":\"%s\",\"txn_id\":\"%s\",\"card\":\"%s\",\"account\":\"%s\","
            + "\"amount\":%s,\"city\":\"%s\"}",
        at(hhmm), id, card, account, amount, city);
  }

  public static String profile(String hhmm, String account, String usual, String home) {
    return String.format(
        "{\"type\":\"account\",\"ts\":\"%s\",\"account\":\"%s\",\"usual_amount\":%s,"
            + "\"home_country\":\"%s\"}",
        at(hhmm), account, usual, home);
  }

  /** The window fields of an alert: {@code [start, end)}, ON_TIME. */
  public static String window(String start, String end) {
    return String.format(
        "\"window_start\":\"%s\",\"window_end\":\"%s\",\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true",
        at(start), at(end));
  }

  // --- The amount rule uses the latest profile of each window ---------------------------------

  /**
   * Account a's profile is re-emitted at 00:01 (usual 10), 00:04 (usual 20) and 00:07 (usual 100).
   * t1 (120.00 at 00:02) and t2 (90.00 at 00:06).
   */
  public static final List<String> LATEST_PROFILE =
      List.of(
          profile("00:01", "a", "10.00", "FR"),
          profile("00:04", "a", "20.00", "FR"),
          profile("00:07", "a", "100.00", "FR"),
          txn("t1", "00:02", "a", "c1", "120.00", "FR"),
          txn("t2", "00:06", "a", "c1", "90.00", "FR"));

  /**
   * [23:55, 00:05) holds t1 and the profiles of 00:01 and 00:04: the latest says 20, so the
   * threshold is 5 x 20 = 100 and t1's 120 is above it. [00:00, 00:10) holds t1, t2 and all three
   * profiles: the latest (00:07) says 100, threshold 500, nothing above. [00:05, 00:15) holds t2
   * and the 00:07 profile: 90 is not above 500. One alert.
   */
  public static final List<String> LATEST_PROFILE_ALERTS =
      List.of(
          "{\"rule\":\"amount-above-usual\",\"account\":\"a\",\"count\":1,\"threshold\":100.0,"
              + "\"factor\":5.0,\"usual_amount\":20.0,\"profile_ts\":\"2026-01-01T00:04:00Z\","
              + "\"txn_ids\":[\"t1\"],\"amounts\":[120.0],"
              + window("23:55", "00:05")
              + "}");

  // --- No profile in the window -----------------------------------------------------------------

  /** Account b's only profile is at 00:03; its transaction t3 (6.00 > 5 x 1.00) at 00:12. */
  public static final List<String> NO_PROFILE =
      List.of(profile("00:03", "b", "1.00", "FR"), txn("t3", "00:12", "b", "c2", "6.00", "FR"));

  /**
   * t3 lies in [00:05, 00:15) and [00:10, 00:20); the profile of 00:03 in neither, so each raises
   * no-profile (and no amount alert, although 6.00 is more than 5 x 1.00). The profile's own
   * windows hold no transaction of b: nothing there.
   */
  public static final List<String> NO_PROFILE_ALERTS =
      List.of(
          "{\"rule\":\"no-profile\",\"account\":\"b\",\"count\":1,\"txn_ids\":[\"t3\"],"
              + window("00:05", "00:15")
              + "}",
          "{\"rule\":\"no-profile\",\"account\":\"b\",\"count\":1,\"txn_ids\":[\"t3\"],"
              + window("00:10", "00:20")
              + "}");

  // --- Card rules, with STRICT_CARD_RULES (more than 2 transactions, more than 2 places) ---------

  /**
   * Account c, profile at 00:04 (usual 1000); card c9 at 00:01 FR, 00:02 Paris (a city), 00:03 DE
   * and 00:08 FR; card c8 once at 00:09 US. All amounts 1.00.
   */
  public static final List<String> CARDS =
      List.of(
          profile("00:04", "c", "1000.00", "FR"),
          txn("t10", "00:01", "c", "c9", "1.00", "FR"),
          txnInCity("t11", "00:02", "c", "c9", "1.00", "Paris"),
          txn("t12", "00:03", "c", "c9", "1.00", "DE"),
          txn("t13", "00:08", "c", "c9", "1.00", "FR"),
          txn("t14", "00:09", "c", "c8", "1.00", "US"));

  /**
   * [23:55, 00:05): c9 has t10, t11, t12 (3 > 2) in DE, FR, Paris (3 > 2): both rules. [00:00,
   * 00:10): c9 has t10 to t13 (4 > 2), still 3 places: both rules; c8 has one transaction. [00:05,
   * 00:15): c9 has t13, c8 has t14, no card rule; the profile of 00:04 is not in this window, so
   * account c raises no-profile with t13 and t14. Amounts never exceed 5 x 1000.
   */
  public static final List<String> CARDS_ALERTS =
      List.of(
          "{\"rule\":\"too-many-transactions\",\"account\":\"c\",\"card\":\"c9\",\"count\":3,"
              + "\"threshold\":2,\"txn_ids\":[\"t10\",\"t11\",\"t12\"],"
              + window("23:55", "00:05")
              + "}",
          "{\"rule\":\"too-many-places\",\"account\":\"c\",\"card\":\"c9\",\"count\":3,"
              + "\"threshold\":2,\"places\":[\"DE\",\"FR\",\"Paris\"],"
              + "\"txn_ids\":[\"t10\",\"t11\",\"t12\"],"
              + window("23:55", "00:05")
              + "}",
          "{\"rule\":\"too-many-transactions\",\"account\":\"c\",\"card\":\"c9\",\"count\":4,"
              + "\"threshold\":2,\"txn_ids\":[\"t10\",\"t11\",\"t12\",\"t13\"],"
              + window("00:00", "00:10")
              + "}",
          "{\"rule\":\"too-many-places\",\"account\":\"c\",\"card\":\"c9\",\"count\":3,"
              + "\"threshold\":2,\"places\":[\"DE\",\"FR\",\"Paris\"],"
              + "\"txn_ids\":[\"t10\",\"t11\",\"t12\",\"t13\"],"
              + window("00:00", "00:10")
              + "}",
          "{\"rule\":\"no-profile\",\"account\":\"c\",\"count\":2,\"txn_ids\":[\"t13\",\"t14\"],"
              + window("00:05", "00:15")
              + "}");

  // --- Profiles at the same time: the larger usual amount wins; bad lines are skipped ------------

  /** Two profiles of d at 00:01 (usual 10 and 20), t20 of 120.00 at 00:02, and two bad lines. */
  public static final List<String> TIED_PROFILES =
      List.of(
          profile("00:01", "d", "10.00", "FR"),
          "not json",
          profile("00:01", "d", "20.00", "FR"),
          txn("t20", "00:02", "d", "c", "120.00", "FR"),
          txn("t21", "00:02", "d", "c", "-1.00", "FR"));

  /**
   * Both windows of 00:02 hold both profiles; the larger usual amount (20) wins the tie, so the
   * threshold is 100 and t20 is above it (with 10 the line would say usual 10.0, threshold 50.0).
   */
  public static final List<String> TIED_PROFILES_ALERTS =
      List.of(
          "{\"rule\":\"amount-above-usual\",\"account\":\"d\",\"count\":1,\"threshold\":100.0,"
              + "\"factor\":5.0,\"usual_amount\":20.0,\"profile_ts\":\"2026-01-01T00:01:00Z\","
              + "\"txn_ids\":[\"t20\"],\"amounts\":[120.0],"
              + window("23:55", "00:05")
              + "}",
          "{\"rule\":\"amount-above-usual\",\"account\":\"d\",\"count\":1,\"threshold\":100.0,"
              + "\"factor\":5.0,\"usual_amount\":20.0,\"profile_ts\":\"2026-01-01T00:01:00Z\","
              + "\"txn_ids\":[\"t20\"],\"amounts\":[120.0],"
              + window("00:00", "00:10")
              + "}");

  // --- --accounts: transactions from --input, profiles from --accounts ---------------------------

  /** --input: t30 (120.00 at 00:02), t32 (600.00 at 00:03), and a profile (usual 1) at 00:04. */
  public static final List<String> SEPARATE_INPUT =
      List.of(
          txn("t30", "00:02", "e", "c", "120.00", "FR"),
          txn("t32", "00:03", "e", "c", "600.00", "FR"),
          profile("00:04", "e", "1.00", "FR"));

  /** --accounts: a profile (usual 100) at 00:03 and a transaction t31 (999.00 at 00:02). */
  public static final List<String> SEPARATE_ACCOUNTS =
      List.of(profile("00:03", "e", "100.00", "FR"), txn("t31", "00:02", "e", "c", "999.00", "FR"));

  /**
   * The profile in --input and the transaction in --accounts are dead letters, not used: both
   * windows of t30 and t32 use the profile of 00:03 (usual 100, threshold 500); only t32 is above.
   * (Had the input's profile counted, its usual 1 would flag t30 too; had t31 counted, it would be
   * listed.)
   */
  public static final List<String> SEPARATE_ALERTS =
      List.of(
          "{\"rule\":\"amount-above-usual\",\"account\":\"e\",\"count\":1,\"threshold\":500.0,"
              + "\"factor\":5.0,\"usual_amount\":100.0,\"profile_ts\":\"2026-01-01T00:03:00Z\","
              + "\"txn_ids\":[\"t32\"],\"amounts\":[600.0],"
              + window("23:55", "00:05")
              + "}",
          "{\"rule\":\"amount-above-usual\",\"account\":\"e\",\"count\":1,\"threshold\":500.0,"
              + "\"factor\":5.0,\"usual_amount\":100.0,\"profile_ts\":\"2026-01-01T00:03:00Z\","
              + "\"txn_ids\":[\"t32\"],\"amounts\":[600.0],"
              + window("00:00", "00:10")
              + "}");
}
