package dev.sluice.pipelines.risk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipelines.io.EventTimes;
import dev.sluice.pipelines.io.JsonFields;
import dev.sluice.transforms.quality.InvalidRecordException;
import dev.sluice.transforms.quality.RecordParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One record of the risk-control input, which carries two record types in one stream, told apart by
 * field {@code type}: a {@link Transaction} ({@code "txn"}) or an {@link AccountProfile} ({@code
 * "account"}). Exactly one of {@link #transaction()} and {@link #profile()} is set.
 *
 * <p>Input format, one JSON object per line; {@code ts} is an ISO-8601 date-time with an offset (or
 * {@code Z}) or whole epoch milliseconds; amounts are JSON numbers more than 0 with at most two
 * decimals; other fields are ignored:
 *
 * <pre>
 * {"type":"txn","ts":"2026-01-01T10:00:00Z","txn_id":"t1","card":"c1","account":"a1",
 *  "amount":42.50,"currency":"EUR","country":"FR"}        (or "city":"Paris" instead of "country")
 * {"type":"account","ts":"2026-01-01T10:00:00Z","account":"a1","usual_amount":40.00,
 *  "home_country":"FR"}
 * </pre>
 */
@DefaultCoder(RiskRecord.Coder.class)
public final class RiskRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The value of {@code type} for a transaction. */
  public static final String TXN = "txn";

  /** The value of {@code type} for an account profile. */
  public static final String ACCOUNT = "account";

  /** Which record types a source carries; a record of another type is refused. */
  public enum Accepts {
    /** Transactions and profiles in one stream (the default: {@code --accounts} not set). */
    BOTH(null),
    /** Transactions only: {@code --input} when profiles come from {@code --accounts}. */
    TRANSACTIONS(
        "a record of type 'account' in --input, but --accounts is set: profiles are read from"
            + " --accounts only"),
    /** Profiles only: the {@code --accounts} source. */
    PROFILES("a record of type 'txn' in --accounts, which carries account profiles only");

    private final @Nullable String refusal;

    Accepts(@Nullable String refusal) {
      this.refusal = refusal;
    }

    /** The parser of a source that carries these types. */
    public RecordParser<RiskRecord> parser() {
      Accepts accepts = this;
      return line -> parse(line, accepts);
    }
  }

  private final @Nullable Transaction transaction;
  private final @Nullable AccountProfile profile;

  private RiskRecord(@Nullable Transaction transaction, @Nullable AccountProfile profile) {
    this.transaction = transaction;
    this.profile = profile;
  }

  public static RiskRecord of(Transaction transaction) {
    return new RiskRecord(Objects.requireNonNull(transaction, "transaction"), null);
  }

  public static RiskRecord of(AccountProfile profile) {
    return new RiskRecord(null, Objects.requireNonNull(profile, "profile"));
  }

  public boolean isTransaction() {
    return transaction != null;
  }

  /** The transaction, or null if this is a profile. */
  public @Nullable Transaction transaction() {
    return transaction;
  }

  /** The profile, or null if this is a transaction. */
  public @Nullable AccountProfile profile() {
    return profile;
  }

  public long timestampMillis() {
    return transaction != null ? transaction.timestampMillis() : profile.timestampMillis();
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis());
  }

  /** The account the record belongs to. */
  public String account() {
    return transaction != null ? transaction.account() : profile.account();
  }

  /**
   * The event time of an input line, or {@code null} if it has none that can be read: what a Kafka
   * source uses for its watermark before the line is parsed for real.
   */
  public static @Nullable Instant timestampOrNull(String line) {
    try {
      return parse(line).timestamp();
    } catch (InvalidRecordException e) {
      return e.eventTimeMillis() == null ? null : new Instant(e.eventTimeMillis().longValue());
    }
  }

  /** Parses a line of a stream that carries both types ({@link Accepts#BOTH}). */
  public static RiskRecord parse(String line) throws InvalidRecordException {
    return parse(line, Accepts.BOTH);
  }

  /**
   * Parses one input line, or says exactly what is wrong with it: kinds {@code not-json}, {@code
   * not-object}, {@code missing-field}, {@code wrong-type}, {@code empty-field}, {@code
   * bad-timestamp}, {@code unknown-type} (a {@code type} other than {@code txn} and {@code
   * account}), {@code unexpected-type} (a type this source does not carry), {@code out-of-range}
   * (an amount not more than 0 or too large), {@code bad-amount} (more than two decimals), {@code
   * bad-currency} (not three capital letters), {@code bad-unicode} (a string with an unpaired
   * surrogate such as <code>"&#92;ud800"</code>). Once {@code ts} has been read, a refusal carries
   * it as the dead letter's event time.
   */
  public static RiskRecord parse(String line, Accepts accepts) throws InvalidRecordException {
    JsonNode record = JsonFields.object(line);
    long ts = EventTimes.ofField(record, "ts");
    String type = JsonFields.string(record, "type", ts);
    boolean isTxn = type.equals(TXN);
    if (!isTxn && !type.equals(ACCOUNT)) {
      throw new InvalidRecordException(
          "unknown-type",
          "field 'type' must be '" + TXN + "' or '" + ACCOUNT + "', was '" + type + "'",
          ts);
    }
    if ((isTxn && accepts == Accepts.PROFILES) || (!isTxn && accepts == Accepts.TRANSACTIONS)) {
      throw new InvalidRecordException("unexpected-type", accepts.refusal, ts);
    }
    return isTxn ? of(transaction(record, ts)) : of(profile(record, ts));
  }

  private static Transaction transaction(JsonNode record, long ts) throws InvalidRecordException {
    String txnId = JsonFields.string(record, "txn_id", ts);
    String card = JsonFields.string(record, "card", ts);
    String account = JsonFields.string(record, "account", ts);
    long amount = JsonFields.cents(record, "amount", ts);
    String currency = JsonFields.optionalString(record, "currency", ts);
    if (currency != null && !currency.matches("[A-Z]{3}")) {
      throw new InvalidRecordException(
          "bad-currency",
          "field 'currency' must be three capital letters (ISO 4217), was '" + currency + "'",
          ts);
    }
    String country = JsonFields.optionalString(record, "country", ts);
    String city = JsonFields.optionalString(record, "city", ts);
    if (country == null && city == null) {
      throw new InvalidRecordException(
          "missing-field", "a transaction needs field 'country' or field 'city', had neither", ts);
    }
    return new Transaction(ts, txnId, card, account, amount, currency, country, city);
  }

  private static AccountProfile profile(JsonNode record, long ts) throws InvalidRecordException {
    String account = JsonFields.string(record, "account", ts);
    long usual = JsonFields.cents(record, "usual_amount", ts);
    String home = JsonFields.string(record, "home_country", ts);
    return new AccountProfile(ts, account, usual, home);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RiskRecord
        && Objects.equals(transaction, ((RiskRecord) o).transaction)
        && Objects.equals(profile, ((RiskRecord) o).profile);
  }

  @Override
  public int hashCode() {
    return Objects.hash(transaction, profile);
  }

  @Override
  public String toString() {
    return transaction != null ? transaction.toString() : profile.toString();
  }

  /** Deterministic coder: a type byte (0 transaction, 1 profile), then that record's coder. */
  public static final class Coder extends AtomicCoder<RiskRecord> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();
    private static final int TRANSACTION_BYTE = 0;
    private static final int PROFILE_BYTE = 1;

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(RiskRecord.class), INSTANCE);
    }

    @Override
    public void encode(RiskRecord r, OutputStream out) throws IOException {
      if (r.transaction != null) {
        out.write(TRANSACTION_BYTE);
        Transaction.Coder.of().encode(r.transaction, out);
      } else {
        out.write(PROFILE_BYTE);
        AccountProfile.Coder.of().encode(r.profile, out);
      }
    }

    @Override
    public RiskRecord decode(InputStream in) throws IOException {
      int type = in.read();
      switch (type) {
        case TRANSACTION_BYTE:
          return RiskRecord.of(Transaction.Coder.of().decode(in));
        case PROFILE_BYTE:
          return RiskRecord.of(AccountProfile.Coder.of().decode(in));
        default:
          throw new CoderException("invalid RiskRecord type byte " + type + ", expected 0 or 1");
      }
    }

    @Override
    public void verifyDeterministic() {}
  }
}
