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
import org.joda.time.Instant;

/**
 * One account profile, as a change-data-capture stream re-emits it: {@code {"type":"account",
 * "ts","account","usual_amount","home_country",...}}; other fields are ignored. The usual amount
 * (the account's usual transaction amount) is kept in whole cents.
 */
@DefaultCoder(AccountProfile.Coder.class)
public final class AccountProfile implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Which of two profiles of an account is the latest: the later event time; at equal times the
   * larger usual amount, then the greater home country, so the choice never depends on order.
   */
  public static final Comparator<AccountProfile> LATEST =
      Comparator.comparingLong(AccountProfile::timestampMillis)
          .thenComparingLong(AccountProfile::usualAmountCents)
          .thenComparing(AccountProfile::homeCountry)
          .thenComparing(AccountProfile::account);

  private final long timestampMillis;
  private final String account;
  private final long usualAmountCents;
  private final String homeCountry;

  public AccountProfile(
      long timestampMillis, String account, long usualAmountCents, String homeCountry) {
    this.timestampMillis = timestampMillis;
    this.account = Objects.requireNonNull(account, "account");
    this.usualAmountCents = usualAmountCents;
    this.homeCountry = Objects.requireNonNull(homeCountry, "homeCountry");
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  public String account() {
    return account;
  }

  public long usualAmountCents() {
    return usualAmountCents;
  }

  public String homeCountry() {
    return homeCountry;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AccountProfile)) {
      return false;
    }
    AccountProfile p = (AccountProfile) o;
    return timestampMillis == p.timestampMillis
        && usualAmountCents == p.usualAmountCents
        && account.equals(p.account)
        && homeCountry.equals(p.homeCountry);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestampMillis, account, usualAmountCents, homeCountry);
  }

  @Override
  public String toString() {
    return "account "
        + account
        + " "
        + timestamp()
        + " usual "
        + Money.format(usualAmountCents)
        + " home "
        + homeCountry;
  }

  /** Deterministic coder: the fields in declaration order. */
  public static final class Coder extends AtomicCoder<AccountProfile> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(AccountProfile.class), INSTANCE);
    }

    @Override
    public void encode(AccountProfile p, OutputStream out) throws IOException {
      VarLongCoder.of().encode(p.timestampMillis, out);
      StringUtf8Coder.of().encode(p.account, out);
      VarLongCoder.of().encode(p.usualAmountCents, out);
      StringUtf8Coder.of().encode(p.homeCountry, out);
    }

    @Override
    public AccountProfile decode(InputStream in) throws IOException {
      long ts = VarLongCoder.of().decode(in);
      String account = StringUtf8Coder.of().decode(in);
      long usual = VarLongCoder.of().decode(in);
      String home = StringUtf8Coder.of().decode(in);
      return new AccountProfile(ts, account, usual, home);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
