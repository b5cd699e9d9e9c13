package dev.sluice.pipelines.ledger;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The command side's rules: whether a command may change the ledger given its current state, and
 * the events it becomes if so, for the pipeline (state in Beam's keyed state). The reference model
 * ({@link LedgerModel}) writes the same rules again on its own, so that a pipeline that equals it
 * checks the rules as well as the plumbing.
 *
 * <ul>
 *   <li>a command id seen before (accepted or not) is a {@code duplicate-command}: retries never
 *       apply twice;
 *   <li>{@code open} of an existing account: {@code account-exists};
 *   <li>a deposit, withdrawal or transfer from an account never opened: {@code unknown-account}; a
 *       transfer to one: {@code unknown-recipient};
 *   <li>a withdrawal or transfer of more than the balance: {@code overdraft} (no credit).
 * </ul>
 */
public final class Ledger {
  private Ledger() {}

  /** An account as the command side knows it: balance and version (number of its events). */
  public record Account(long balanceCents, long version) implements Serializable {}

  /** Where the command side's state lives. */
  public interface State {
    @Nullable Account account(String id);

    boolean seen(String commandId);

    void put(String id, Account account);

    void markSeen(String commandId);
  }

  /** The events of an accepted command, or the rejection of a refused one. */
  public record Decision(List<LedgerEvent> events, @Nullable Rejection rejection) {
    public boolean accepted() {
      return rejection == null;
    }
  }

  /** Decides {@code command} against {@code state} and, if accepted, applies its events to it. */
  public static Decision handle(LedgerCommand command, State state) {
    if (state.seen(command.commandId())) {
      return reject(
          command, Rejection.DUPLICATE, "command id '" + command.commandId() + "' was seen before");
    }
    state.markSeen(command.commandId());
    Account from = state.account(command.account());
    switch (command.type()) {
      case OPEN:
        if (from != null) {
          return reject(
              command,
              Rejection.ACCOUNT_EXISTS,
              "account '" + command.account() + "' is already open");
        }
        return accept(
            state,
            event(command, "", LedgerEvent.Type.OPENED, command.account(), "", new Account(0, 0)));
      case DEPOSIT:
        if (from == null) {
          return unknown(command);
        }
        return accept(
            state, event(command, "", LedgerEvent.Type.DEPOSITED, command.account(), "", from));
      case WITHDRAW:
        if (from == null) {
          return unknown(command);
        }
        if (from.balanceCents() < command.amountCents()) {
          return overdraft(command, from);
        }
        return accept(
            state, event(command, "", LedgerEvent.Type.WITHDRAWN, command.account(), "", from));
      case TRANSFER:
        if (from == null) {
          return unknown(command);
        }
        Account to = state.account(command.to());
        if (to == null) {
          return reject(
              command, Rejection.UNKNOWN_RECIPIENT, "account '" + command.to() + "' is not open");
        }
        if (from.balanceCents() < command.amountCents()) {
          return overdraft(command, from);
        }
        return accept(
            state,
            event(
                command,
                "/out",
                LedgerEvent.Type.TRANSFERRED_OUT,
                command.account(),
                command.to(),
                from),
            event(
                command,
                "/in",
                LedgerEvent.Type.TRANSFERRED_IN,
                command.to(),
                command.account(),
                to));
      default:
        throw new IllegalStateException("unknown command type " + command.type());
    }
  }

  /** The event of {@code command} on {@code account}, whose state before it is {@code before}. */
  private static LedgerEvent event(
      LedgerCommand command,
      String idSuffix,
      LedgerEvent.Type type,
      String account,
      String counterparty,
      Account before) {
    long amount = type == LedgerEvent.Type.OPENED ? 0 : command.amountCents();
    return new LedgerEvent(
        command.commandId() + idSuffix,
        command.commandId(),
        type,
        account,
        counterparty,
        amount,
        before.balanceCents() + type.delta(amount),
        before.version() + 1,
        command.timestampMillis());
  }

  private static Decision accept(State state, LedgerEvent... events) {
    for (LedgerEvent e : events) {
      state.put(e.account(), new Account(e.balanceCents(), e.version()));
    }
    return new Decision(List.of(events), null);
  }

  private static Decision unknown(LedgerCommand command) {
    return reject(
        command, Rejection.UNKNOWN_ACCOUNT, "account '" + command.account() + "' is not open");
  }

  private static Decision overdraft(LedgerCommand command, Account from) {
    return reject(
        command,
        Rejection.OVERDRAFT,
        String.format(
            "%s of %s from account '%s' exceeds its balance %s",
            command.type().text(),
            money(command.amountCents()),
            command.account(),
            money(from.balanceCents())));
  }

  /** Cents as text with two decimals, e.g. 1999 → "19.99". */
  private static String money(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }

  private static Decision reject(LedgerCommand command, String kind, String reason) {
    return new Decision(List.of(), new Rejection(command, kind, reason));
  }
}
