package dev.sluice.launcher.generate;

import dev.sluice.pipelines.ledger.LedgerCommand;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Generates the ledger's commands, {@code {"command_id","type","account","amount"?,"to"?,"ts"}}
 * over {@code keys} accounts ({@code acc-0001} ...; activity Zipf-skewed by {@code skew}): the
 * first command of each account opens it, then deposits (40 %), withdrawals (25 %) and transfers
 * (30 %), plus commands the ledger refuses: openings of open accounts (5 %), commands on accounts
 * never opened ({@value #UNKNOWN_SHARE} of the rest), withdrawals and transfers above the balance
 * (naturally, as amounts are drawn up to {@value #MAX_AMOUNT}.00 whatever the balance), and
 * retries: a {@value #RETRY_SHARE} share repeats an earlier command's id. Every command has its own
 * millisecond (a ledger applies commands in time order; equal times would leave it undefined), in
 * order: {@code disorder} and {@code late} do not apply. A {@code malformedShare} of lines is
 * broken in one of six ways the parser refuses. Each good line's Kafka key is its account.
 */
public final class LedgerCommandsGenerator implements EventGenerator {
  /** The share of commands that name an account never opened. */
  public static final double UNKNOWN_SHARE = 0.03;

  /** The share of commands that reuse an earlier command's id (a retry). */
  public static final double RETRY_SHARE = 0.02;

  /** The largest amount drawn, in currency units. */
  public static final int MAX_AMOUNT = 250;

  @Override
  public String kind() {
    return "ledger-commands";
  }

  @Override
  public String description() {
    return "ledger-commands input: JSON lines {\"command_id\",\"type\",\"account\",\"amount\","
        + "\"to\",\"ts\"}: opens, deposits, withdrawals, transfers over --keys accounts, with"
        + " refused commands and retries";
  }

  /** The id of account {@code index}, 0-based. */
  public static String account(int index) {
    return String.format("acc-%04d", index + 1);
  }

  @Override
  public GeneratedEvents generate(GeneratorSettings s) {
    SplittableRandom random = new SplittableRandom(s.seed());
    Zipf accounts = new Zipf(s.keys(), s.skew());
    long start = s.start().toEpochMilli();
    long span = s.span().toMillis();
    List<String> lines = new ArrayList<>(s.events());
    List<Long> times = new ArrayList<>(s.events());
    List<String> keys = new ArrayList<>(s.events());
    SortedSet<Integer> malformed = new TreeSet<>();
    List<String> issuedIds = new ArrayList<>();
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < s.events(); i++) {
      long t = Math.max(previous + 1, start + span * i / Math.max(1, s.events()));
      previous = t;
      String ts = "\"" + Instant.ofEpochMilli(t) + "\"";
      String id = String.format("c-%07d", i + 1);
      if (!issuedIds.isEmpty() && random.nextDouble() < RETRY_SHARE) {
        id = issuedIds.get(random.nextInt(issuedIds.size()));
      }
      // The first keys commands open the accounts, in order; then the mix.
      String account = i < s.keys() ? account(i) : account(accounts.sample(random));
      if (i >= s.keys() && random.nextDouble() < UNKNOWN_SHARE) {
        account = "acc-x" + random.nextInt(1_000);
      }
      String type = i < s.keys() ? "open" : type(random);
      String to = type.equals("transfer") ? otherAccount(random, accounts, account) : null;
      String amount = type.equals("open") ? null : amount(random);
      String line = command(id, type, account, amount, to, ts);
      if (s.malformedShare() > 0 && random.nextDouble() < s.malformedShare()) {
        malformed.add(i + 1);
        line = malformed(random, id, account, ts);
        keys.add(null);
      } else {
        keys.add(account);
        issuedIds.add(id);
      }
      lines.add(line);
      times.add(timestampOrNull(line));
    }
    return new GeneratedEvents(
        List.copyOf(lines),
        Collections.unmodifiableList(times),
        Collections.unmodifiableList(keys),
        Collections.unmodifiableSortedSet(malformed),
        Collections.unmodifiableSortedSet(new TreeSet<>()));
  }

  /** A line's event time as the job reads it, or null where it has none. */
  private static Long timestampOrNull(String line) {
    try {
      return LedgerCommand.parse(line).timestampMillis();
    } catch (InvalidRecordException e) {
      return e.eventTimeMillis();
    }
  }

  private static String type(SplittableRandom random) {
    int draw = random.nextInt(100);
    if (draw < 40) {
      return "deposit";
    } else if (draw < 65) {
      return "withdraw";
    } else if (draw < 95) {
      return "transfer";
    }
    return "open";
  }

  /** A transfer's recipient: never the sender (that would be an unreadable command). */
  private static String otherAccount(SplittableRandom random, Zipf accounts, String from) {
    for (int attempt = 0; attempt < 10; attempt++) {
      String to = account(accounts.sample(random));
      if (!to.equals(from)) {
        return to;
      }
    }
    return from.equals(account(0)) ? account(1) : account(0);
  }

  private static String amount(SplittableRandom random) {
    return (1 + random.nextInt(MAX_AMOUNT)) + "." + String.format("%02d", random.nextInt(100));
  }

  private static String command(
      String id, String type, String account, String amount, String to, String ts) {
    StringBuilder line = new StringBuilder();
    line.append("{\"command_id\":\"")
        .append(id)
        .append("\",\"type\":\"")
        .append(type)
        .append("\",\"account\":\"")
        .append(account)
        .append('"');
    if (amount != null) {
      line.append(",\"amount\":").append(amount);
    }
    if (to != null) {
      line.append(",\"to\":\"").append(to).append('"');
    }
    return line.append(",\"ts\":").append(ts).append('}').toString();
  }

  /** A line the parser refuses, in one of six ways. */
  private static String malformed(SplittableRandom random, String id, String account, String ts) {
    switch (random.nextInt(6)) {
      case 0:
        return command(id, "deposit", account, "10.00", null, ts).substring(0, 25); // not-json
      case 1:
        return command(id, "close", account, null, null, ts); // unknown-type
      case 2:
        return command(id, "withdraw", account, null, null, ts); // missing-field amount
      case 3:
        return command(id, "deposit", account, "-5.00", null, ts); // out-of-range
      case 4:
        return command(id, "transfer", account, "1.00", account, ts); // same-account
      default:
        return command(id, "deposit", account, "1.00", null, "\"last week\""); // bad-timestamp
    }
  }
}
