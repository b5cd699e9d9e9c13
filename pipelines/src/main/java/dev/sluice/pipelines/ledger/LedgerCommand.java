package dev.sluice.pipelines.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipelines.io.EventTimes;
import dev.sluice.pipelines.io.JsonFields;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Locale;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/**
 * A request to change the ledger, not yet accepted: open an account, deposit into it, withdraw from
 * it, or transfer from it to another. One JSON object per line; amounts are JSON numbers more than
 * 0 with at most two decimals (kept in cents); {@code ts} is when the command was issued:
 *
 * <pre>
 * {"command_id":"c-1","type":"open","account":"acc-1","ts":"2026-01-01T09:00:00Z"}
 * {"command_id":"c-2","type":"deposit","account":"acc-1","amount":120.00,"ts":"2026-01-01T09:01:00Z"}
 * {"command_id":"c-3","type":"withdraw","account":"acc-1","amount":20.50,"ts":"2026-01-01T09:02:00Z"}
 * {"command_id":"c-4","type":"transfer","account":"acc-1","to":"acc-2","amount":50,"ts":"2026-01-01T09:03:00Z"}
 * </pre>
 *
 * <p>A line that is not such a command (broken JSON, unknown type, missing or ill-typed field) is a
 * dead letter; a well-formed command the ledger refuses (overdraft, unknown account, repeated
 * command id) is a rejection ({@link Ledger}), with its reason.
 */
public record LedgerCommand(
    String commandId, Type type, String account, String to, long amountCents, long timestampMillis)
    implements Serializable {

  /** What a command asks for. */
  public enum Type {
    OPEN,
    DEPOSIT,
    WITHDRAW,
    TRANSFER;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The order a ledger applies commands in: event time, then command id (a total order). */
  public static final Comparator<LedgerCommand> ORDER =
      Comparator.comparingLong(LedgerCommand::timestampMillis)
          .thenComparing(LedgerCommand::commandId);

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  /**
   * Parses one line.
   *
   * @throws InvalidRecordException kinds {@code not-json}, {@code not-object}, {@code
   *     missing-field}, {@code wrong-type}, {@code empty-field}, {@code bad-timestamp}, {@code
   *     unknown-type}, {@code out-of-range}, {@code bad-amount}, {@code same-account}, {@code
   *     bad-unicode}
   */
  public static LedgerCommand parse(String line) throws InvalidRecordException {
    JsonNode record = JsonFields.object(line);
    long ts = EventTimes.ofField(record, "ts");
    String commandId = JsonFields.string(record, "command_id", ts);
    String typeText = JsonFields.string(record, "type", ts);
    Type type;
    try {
      type = Type.valueOf(typeText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(
          "unknown-type",
          "field 'type' must be open, deposit, withdraw or transfer, was '" + typeText + "'",
          ts);
    }
    String account = JsonFields.string(record, "account", ts);
    String to = "";
    long amount = 0;
    if (type != Type.OPEN) {
      amount = JsonFields.cents(record, "amount", ts);
    }
    if (type == Type.TRANSFER) {
      to = JsonFields.string(record, "to", ts);
      if (to.equals(account)) {
        throw new InvalidRecordException(
            "same-account", "a transfer from account '" + account + "' to itself", ts);
      }
    }
    return new LedgerCommand(commandId, type, account, to, amount, ts);
  }

  /** Deterministic coder: the fields in declaration order. */
  public static final class Coder extends AtomicCoder<LedgerCommand> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LedgerCommand c, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(c.commandId, out);
      StringUtf8Coder.of().encode(c.type.name(), out);
      StringUtf8Coder.of().encode(c.account, out);
      StringUtf8Coder.of().encode(c.to, out);
      VarLongCoder.of().encode(c.amountCents, out);
      VarLongCoder.of().encode(c.timestampMillis, out);
    }

    @Override
    public LedgerCommand decode(InputStream in) throws IOException {
      return new LedgerCommand(
          StringUtf8Coder.of().decode(in),
          Type.valueOf(StringUtf8Coder.of().decode(in)),
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
