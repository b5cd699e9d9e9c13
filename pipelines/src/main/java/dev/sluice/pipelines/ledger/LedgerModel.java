package dev.sluice.pipelines.ledger;

import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger in plain Java, one thread, no Beam: the reference the pipelines are compared with.
 * {@link #decide} applies the command lines in the ledger's order ({@link LedgerCommand#ORDER})
 * with {@link Ledger}'s rules; {@link #balances} folds accepted events into the read model by
 * adding up their amounts per account, without looking at the balances the events carry.
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
    commands.sort(LedgerCommand.ORDER);
    Ledger.InMemory state = new Ledger.InMemory();
    List<LedgerEvent> events = new ArrayList<>();
    List<Rejection> rejections = new ArrayList<>();
    for (LedgerCommand command : commands) {
      Ledger.Decision decision = Ledger.handle(command, state);
      events.addAll(decision.events());
      if (!decision.accepted()) {
        rejections.add(decision.rejection());
      }
    }
    return new Outcome(events, rejections, dead);
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
