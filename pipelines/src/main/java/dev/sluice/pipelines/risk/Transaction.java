package dev.sluice.pipelines.risk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One card transaction: {@code {"type":"txn","ts","txn_id","card","account","amount", "currency"?,
 * "country"|"city"}}. The amount is kept in whole cents; the place of a transaction is its country
 * when it has one, else its city. The currency, when given, is carried but not converted: amounts
 * are compared with the account's usual amount as they are.
 */
@DefaultCoder(Transaction.Coder.class)
public final class Transaction implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The order of evidence lists: by transaction id, then amount, then time. */
  public static final Comparator<Transaction> BY_ID =
      Comparator.comparing(Transaction::txnId)
          .thenComparingLong(Transaction::amountCents)
          .thenComparingLong(Transaction::timestampMillis);

  private final long timestampMillis;
  private final String txnId;
  private final String card;
  private final String account;
  private final long amountCents;
  private final String currency;
  private final String country;
  private final String city;

  /**
   * A transaction; {@code currency}, {@code country} and {@code city} may be null (absent), but not
   * both country and city.
   */
  public Transaction(
      long timestampMillis,
      String txnId,
      String card,
      String account,
      long amountCents,
      @Nullable String currency,
      @Nullable String country,
      @Nullable String city) {
    this.timestampMillis = timestampMillis;
    this.txnId = Objects.requireNonNull(txnId, "txnId");
    this.card = Objects.requireNonNull(card, "card");
    this.account = Objects.requireNonNull(account, "account");
    this.amountCents = amountCents;
    this.currency = currency == null ? "" : currency;
    this.country = country == null ? "" : country;
    this.city = city == null ? "" : city;
    if (this.country.isEmpty() && this.city.isEmpty()) {
      throw new IllegalArgumentException("a transaction needs a country or a city");
    }
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  public String txnId() {
    return txnId;
  }

  public String card() {
    return card;
  }

  public String account() {
    return account;
  }

  public long amountCents() {
    return amountCents;
  }

  /** The currency code, or empty if the record had none. */
  public String currency() {
    return currency;
  }

  /** The country, or empty if the record had only a city. */
  public String country() {
    return country;
  }

  /** The city, or empty if the record had none. */
  public String city() {
    return city;
  }

  /** Where it happened, for the places rule: the country when known, else the city. */
  public String place() {
    return country.isEmpty() ? city : country;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Transaction)) {
      return false;
    }
    Transaction t = (Transaction) o;
    return timestampMillis == t.timestampMillis
        && amountCents == t.amountCents
        && txnId.equals(t.txnId)
        && card.equals(t.card)
        && account.equals(t.account)
        && currency.equals(t.currency)
        && country.equals(t.country)
        && city.equals(t.city);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        timestampMillis, txnId, card, account, amountCents, currency, country, city);
  }

  @Override
  public String toString() {
    return "txn "
        + txnId
        + " "
        + timestamp()
        + " card "
        + card
        + " account "
        + account
        + " "
        + Money.format(amountCents)
        + " "
        + currency
        + " at "
        + place();
  }

  /** Deterministic coder: the fields in declaration order; absent strings as empty ones. */
  public static final class Coder extends AtomicCoder<Transaction> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(Transaction.class), INSTANCE);
    }

    @Override
    public void encode(Transaction t, OutputStream out) throws IOException {
      VarLongCoder.of().encode(t.timestampMillis, out);
      StringUtf8Coder.of().encode(t.txnId, out);
      StringUtf8Coder.of().encode(t.card, out);
      StringUtf8Coder.of().encode(t.account, out);
      VarLongCoder.of().encode(t.amountCents, out);
      StringUtf8Coder.of().encode(t.currency, out);
      StringUtf8Coder.of().encode(t.country, out);
      StringUtf8Coder.of().encode(t.city, out);
    }

    @Override
    public Transaction decode(InputStream in) throws IOException {
      long ts = VarLongCoder.of().decode(in);
      String txnId = StringUtf8Coder.of().decode(in);
      String card = StringUtf8Coder.of().decode(in);
      String account = StringUtf8Coder.of().decode(in);
      long amount = VarLongCoder.of().decode(in);
      String currency = StringUtf8Coder.of().decode(in);
      String country = StringUtf8Coder.of().decode(in);
      String city = StringUtf8Coder.of().decode(in);
      return new Transaction(ts, txnId, card, account, amount, currency, country, city);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
