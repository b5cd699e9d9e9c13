package dev.sluice.pipelines.ledger;

import dev.sluice.pipelines.io.ResultLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * A well-formed command the ledger refused, with the reason: {@code {"command_id","type",
 * "account","reason_kind","reason","ts"}}. Kinds: {@code duplicate-command} (its id was seen
 * before, accepted or not: a retry never applies twice), {@code account-exists}, {@code
 * unknown-account}, {@code unknown-recipient}, {@code overdraft}, and in a stream {@code late} (it
 * arrived behind the watermark, after later commands were applied).
 */
public record Rejection(LedgerCommand command, String kind, String reason) implements Serializable {
  public static final String DUPLICATE = "duplicate-command";
  public static final String ACCOUNT_EXISTS = "account-exists";
  public static final String UNKNOWN_ACCOUNT = "unknown-account";
  public static final String UNKNOWN_RECIPIENT = "unknown-recipient";
  public static final String OVERDRAFT = "overdraft";
  public static final String LATE = "late";

  /** The rejection as a line of the rejects output. */
  public String toJson() {
    return ResultLine.create()
        .put("command_id", command.commandId())
        .put("type", command.type().text())
        .put("account", command.account())
        .put("reason_kind", kind)
        .put("reason", reason)
        .put("ts", java.time.Instant.ofEpochMilli(command.timestampMillis()).toString())
        .toJson();
  }

  /** Deterministic coder: the command, the kind, the reason. */
  public static final class Coder extends AtomicCoder<Rejection> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Rejection r, OutputStream out) throws IOException {
      LedgerCommand.Coder.of().encode(r.command, out);
      StringUtf8Coder.of().encode(r.kind, out);
      StringUtf8Coder.of().encode(r.reason, out);
    }

    @Override
    public Rejection decode(InputStream in) throws IOException {
      return new Rejection(
          LedgerCommand.Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
