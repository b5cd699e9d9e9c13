package dev.sluice.pipelines.ledger;

import dev.sluice.transforms.quality.InvalidRecordException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ledger in plain Java, one thread, no Beam: the reference the pipelines are compared with.
 * {@link #decide} sorts the commands by event time (then command id) and folds them over a map of
 * accounts, with the ledger's rules written here a second time, apart from {@link Ledger}'s: a
 * command id seen before is a duplicate, {@code open} of an open account is refused, a deposit,
 * withdrawal or transfer from an account not open is an unknown account, a transfer to one an
 * unknown recipient, money out beyond the balance an overdraft; every accepted event carries its
 * account's balance and version after it. So a conformance run that equals the model checks the
 * rules as well as the plumbing. {@link #balances} folds accepted events into the read model by
 * adding up their amounts per account, without looking at the balances the events carry. Only the
 * records' parsing and formatting ({@link LedgerCommand#parse}, {@link LedgerEvent#toJson}, {@link
 * Rejection#toJson}) are shared with the pipeline.
 */
public final class LedgerModel {
  private LedgerModel() {}

  /** What the command side makes of a list of command lines. */
  public record Outcome(List<LedgerEvent> events, List<Rejection> rejections, int deadLetters) {
    /** The event log's lines, in the order they were appended. */
    public List<String> eventLines() {
      return events.stream().map(LedgerEvent::toJson).toList();
    }

    public List<String> rejectionLines() {
      return rejections.stream().map(Rejection::toJson).toList();
    }
  }

  /** One account of the read model. */
  public record Balance(long balanceCents, long version) {}

  /** Parses, orders and applies {@code commandLines}; unreadable lines are only counted. */
  public static Outcome decide(List<String> commandLines) {
    List<LedgerCommand> commands = new ArrayList<>();
    int dead = 0;
    for (String line : commandLines) {
      try {
        commands.add(LedgerCommand.parse(line));
      } catch (InvalidRecordException e) {
        dead++;
      }
    }
    // Event time, then command id: one total order whatever order the lines came in.
    commands.sort(
        Comparator.comparingLong(LedgerCommand::timestampMillis)
            .thenComparing(LedgerCommand::commandId));
    Fold fold = new Fold();
    commands.forEach(fold::apply);
    return new Outcome(fold.events, fold.rejections, dead);
  }

  /** The accounts so far (balance in cents, version) and the command ids seen, accepted or not. */
  private static final class Fold {
    private final Map<String, long[]> accounts = new HashMap<>();
    private final Set<String> seenIds = new HashSet<>();
    private final List<LedgerEvent> events = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();

    void apply(LedgerCommand c) {
      if (!seenIds.add(c.commandId())) {
        refuse(c, "duplicate-command", "command id '" + c.commandId() + "' was seen before");
        return;
      }
      long[] from = accounts.get(c.account());
      if (c.type() == LedgerCommand.Type.OPEN) {
        if (from != null) {
          refuse(c, "account-exists", "account '" + c.account() + "' is already open");
        } else {
          accounts.put(c.account(), new long[] {0, 1});
          append(c, c.commandId(), LedgerEvent.Type.OPENED, c.account(), "", 0, 0, 1);
        }
        return;
      }
      if (from == null) {
        refuse(c, "unknown-account", "account '" + c.account() + "' is not open");
        return;
      }
      long[] to = null;
      if (c.type() == LedgerCommand.Type.TRANSFER) {
        to = accounts.get(c.to());
        if (to == null) {
          refuse(c, "unknown-recipient", "account '" + c.to() + "' is not open");
          return;
        }
      }
      long amount = c.amountCents();
      switch (c.type()) {
        case DEPOSIT:
          move(c, c.commandId(), LedgerEvent.Type.DEPOSITED, c.account(), "", from, amount, +1);
          return;
        case WITHDRAW:
          if (amount > from[0]) {
            overdraft(c, from[0]);
            return;
          }
          move(c, c.commandId(), LedgerEvent.Type.WITHDRAWN, c.account(), "", from, amount, -1);
          return;
        case TRANSFER:
          if (amount > from[0]) {
            overdraft(c, from[0]);
            return;
          }
          String id = c.commandId();
          move(
              c,
              id + "/out",
              LedgerEvent.Type.TRANSFERRED_OUT,
              c.account(),
              c.to(),
              from,
              amount,
              -1);
          move(c, id + "/in", LedgerEvent.Type.TRANSFERRED_IN, c.to(), c.account(), to, amount, +1);
          return;
        default:
          throw new IllegalStateException("no rule for command type " + c.type());
      }
    }

    /**
     * Moves {@code amount} into ({@code sign} +1) or out of (-1) {@code account}, whose balance and
     * version are {@code state}, one version up, and logs the event.
     */
    private void move(
        LedgerCommand c,
        String eventId,
        LedgerEvent.Type type,
        String account,
        String counterparty,
        long[] state,
        long amount,
        int sign) {
      state[0] += sign * amount;
      state[1] += 1;
      append(c, eventId, type, account, counterparty, amount, state[0], state[1]);
    }

    private void append(
        LedgerCommand c,
        String eventId,
        LedgerEvent.Type type,
        String account,
        String counterparty,
        long amountCents,
        long balanceCents,
        long version) {
      events.add(
          new LedgerEvent(
              eventId,
              c.commandId(),
              type,
              account,
              counterparty,
              amountCents,
              balanceCents,
              version,
              c.timestampMillis()));
    }

    private void overdraft(LedgerCommand c, long balanceCents) {
      refuse(
          c,
          "overdraft",
          c.type().text()
              + " of "
              + BigDecimal.valueOf(c.amountCents(), 2).toPlainString()
              + " from account '"
              + c.account()
              + "' exceeds its balance "
              + BigDecimal.valueOf(balanceCents, 2).toPlainString());
    }

    private void refuse(LedgerCommand c, String kind, String reason) {
      rejections.add(new Rejection(c, kind, reason));
    }
  }

  /**
   * The read model of {@code events}: per account, the sum of its events' amounts and the number of
   * its events (its version), by account.
   *
   * @throws IllegalStateException if an account's versions are not 1, 2, ... without gaps (a log
   *     that lost or repeated an event)
   */
  public static Map<String, Balance> balances(List<LedgerEvent> events) {
    Map<String, List<LedgerEvent>> byAccount = new TreeMap<>();
    for (LedgerEvent e : events) {
      byAccount.computeIfAbsent(e.account(), a -> new ArrayList<>()).add(e);
    }
    Map<String, Balance> balances = new TreeMap<>();
    byAccount.forEach(
        (account, list) -> {
          list.sort(Comparator.comparingLong(LedgerEvent::version));
          long sum = 0;
          for (int i = 0; i < list.size(); i++) {
            if (list.get(i).version() != i + 1) {
              throw new IllegalStateException(
                  "account "
                      + account
                      + ": event "
                      + list.get(i).eventId()
                      + " has version "
                      + list.get(i).version()
                      + ", expected "
                      + (i + 1));
            }
            sum += list.get(i).deltaCents();
          }
          balances.put(account, new Balance(sum, list.size()));
        });
    return balances;
  }
}
