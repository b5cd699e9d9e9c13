package dev.sluice.pipelines.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipelines.io.EventTimes;
import dev.sluice.pipelines.io.JsonFields;
import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Locale;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/**
 * A fact of the ledger, appended to the event log once a command is accepted: the log is the source
 * of truth, the read model only a fold of it. Each event concerns one account and carries that
 * account's {@code version} after it (1 for the opening, then +1 per event) and its balance after
 * it, so that a projection can apply events idempotently: a row changes only to a higher version,
 * whatever the order or number of times an event arrives. A transfer is two events, one per
 * account, with ids {@code <command>/out} and {@code <command>/in}.
 *
 * <pre>
 * {"event_id":"c-4/out","command_id":"c-4","type":"transferred_out","account":"acc-1",
 *  "counterparty":"acc-2","amount_cents":5000,"balance_cents":4950,"version":4,
 *  "ts":"2026-01-01T09:03:00Z"}
 * </pre>
 *
 * <p>({@code counterparty} only on transfers.)
 */
public record LedgerEvent(
    String eventId,
    String commandId,
    Type type,
    String account,
    String counterparty,
    long amountCents,
    long balanceCents,
    long version,
    long timestampMillis)
    implements Serializable {

  /** What happened to the account. */
  public enum Type {
    OPENED(0),
    DEPOSITED(1),
    WITHDRAWN(-1),
    TRANSFERRED_OUT(-1),
    TRANSFERRED_IN(1);

    private final int sign;

    Type(int sign) {
      this.sign = sign;
    }

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** How an event of this type and amount changes the balance (negative for money out). */
    public long delta(long amountCents) {
      return sign * amountCents;
    }
  }

  /** How the event changes the account's balance, in cents (negative for money out). */
  public long deltaCents() {
    return type.delta(amountCents);
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  /** The event as a line of the event log. */
  public String toJson() {
    ResultLine line =
        ResultLine.create()
            .put("event_id", eventId)
            .put("command_id", commandId)
            .put("type", type.text())
            .put("account", account);
    if (!counterparty.isEmpty()) {
      line.put("counterparty", counterparty);
    }
    return line.put("amount_cents", amountCents)
        .put("balance_cents", balanceCents)
        .put("version", version)
        .put("ts", java.time.Instant.ofEpochMilli(timestampMillis).toString())
        .toJson();
  }

  /**
   * Parses a line of the event log.
   *
   * @throws InvalidRecordException with the kind and reason of what is wrong with it
   */
  public static LedgerEvent parse(String line) throws InvalidRecordException {
    JsonNode record = JsonFields.object(line);
    long ts = EventTimes.ofField(record, "ts");
    String typeText = JsonFields.string(record, "type", ts);
    Type type;
    try {
      type = Type.valueOf(typeText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(
          "unknown-type", "field 'type' is not an event type: '" + typeText + "'", ts);
    }
    String counterparty = JsonFields.optionalString(record, "counterparty", ts);
    long version = JsonFields.wholeNumber(record, "version", ts, 1);
    return new LedgerEvent(
        JsonFields.string(record, "event_id", ts),
        JsonFields.string(record, "command_id", ts),
        type,
        JsonFields.string(record, "account", ts),
        counterparty == null ? "" : counterparty,
        JsonFields.wholeNumber(record, "amount_cents", ts, 0),
        JsonFields.wholeNumber(record, "balance_cents", ts, 0),
        version,
        ts);
  }

  /** Deterministic coder: the fields in declaration order. */
  public static final class Coder extends AtomicCoder<LedgerEvent> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LedgerEvent e, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(e.eventId, out);
      StringUtf8Coder.of().encode(e.commandId, out);
      StringUtf8Coder.of().encode(e.type.name(), out);
      StringUtf8Coder.of().encode(e.account, out);
      StringUtf8Coder.of().encode(e.counterparty, out);
      VarLongCoder.of().encode(e.amountCents, out);
      VarLongCoder.of().encode(e.balanceCents, out);
      VarLongCoder.of().encode(e.version, out);
      VarLongCoder.of().encode(e.timestampMillis, out);
    }

    @Override
    public LedgerEvent decode(InputStream in) throws IOException {
      return new LedgerEvent(
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          Type.valueOf(StringUtf8Coder.of().decode(in)),
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
