package dev.sluice.launcher.generate;

import dev.sluice.pipelines.risk.RiskRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * risk-control's input: card transactions and account profiles in one stream, deterministic from
 * {@link GeneratorSettings}.
 *
 * <ul>
 *   <li>{@code keys} accounts ({@code acct-0001} ...) drawn with Zipf {@code skew}; each has
 *       {@value #CARDS_PER_ACCOUNT} cards ({@code card-0001-1} ...) used alike, a usual amount
 *       between 10 and 300 and a home country (and city). A share {@value #UNKNOWN_ACCOUNT_SHARE}
 *       of transactions goes to one more account, {@code keys + 1}, that never has a profile, so
 *       the {@code no-profile} alert has something to say.
 *   <li>Profiles: every {@value #PROFILE_EVERY_MINUTES} minutes of event time a snapshot of every
 *       account's profile, one record per account on consecutive lines (a change-data-capture feed
 *       re-emitting the table); each snapshot moves an account's usual amount by up to ±10 % with
 *       probability 0.3. The profile records take {@code keys} lines every {@value
 *       #PROFILE_EVERY_MINUTES} minutes of the span: keep {@code keys} well below that share of
 *       {@code events}.
 *   <li>Normal transactions: 0.2 to 2 times the usual amount, at home (97 %) or abroad; at home 10
 *       % name the home city instead of the country.
 *   <li>Fraud bursts (a share {@value #BURST_SHARE} of transactions starts one), on consecutive
 *       lines of one card: {@value #RAPID_TXNS} quick transactions (too many per card), 2 amounts 8
 *       to 20 times the usual (amount above usual), or {@value #TRAVEL_TXNS} countries in a row
 *       (too many places).
 *   <li>Malformed records ({@code malformedShare}) of ten kinds: cut JSON, not an object, no or a
 *       bad {@code ts}, an amount as a string, a negative amount, an unknown type, a missing card
 *       or account, an amount with three decimals, a bad currency or an empty home country.
 * </ul>
 *
 * <p>Event times come from {@link EventTimeline}, profiles included (out of order, late); the Kafka
 * key of every line is its account.
 */
public final class TransactionsGenerator implements EventGenerator {
  static final int PROFILE_EVERY_MINUTES = 5;
  static final double BURST_SHARE = 0.015;
  static final int RAPID_TXNS = 8;
  static final int TRAVEL_TXNS = 5;
  static final int CARDS_PER_ACCOUNT = 5;
  static final double UNKNOWN_ACCOUNT_SHARE = 0.005;

  private static final String[][] COUNTRIES = {
    {"FR", "Paris", "EUR"}, {"DE", "Berlin", "EUR"}, {"NL", "Amsterdam", "EUR"},
    {"ES", "Madrid", "EUR"}, {"IT", "Rome", "EUR"}, {"GB", "London", "GBP"},
    {"US", "New York", "USD"}, {"CA", "Toronto", "CAD"}, {"JP", "Tokyo", "JPY"},
    {"BR", "Sao Paulo", "BRL"}, {"IN", "Mumbai", "INR"}, {"AU", "Sydney", "AUD"},
    {"SG", "Singapore", "SGD"}, {"CH", "Zurich", "CHF"}, {"SE", "Stockholm", "SEK"},
    {"PL", "Warsaw", "PLN"}
  };

  @Override
  public String kind() {
    return "transactions";
  }

  @Override
  public String description() {
    return "risk-control input: card transactions and periodic account profiles, with fraud bursts";
  }

  @Override
  public GeneratedEvents generate(GeneratorSettings s) {
    return new Run(s).generate();
  }

  /** One generation, its random state and accounts. */
  private static final class Run {
    private final GeneratorSettings s;
    private final SplittableRandom random;
    private final EventTimeline timeline;
    private final Zipf zipf;

    /** Accounts with profiles; account number {@code accounts} is the one without. */
    private final int accounts;

    private final long[] usualCents;
    private final int[] home;

    private final List<String> lines = new ArrayList<>();
    private final List<Long> eventTimes = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final SortedSet<Integer> malformed = new TreeSet<>();
    private final SortedSet<Integer> late = new TreeSet<>();

    private final ArrayDeque<Integer> pendingProfiles = new ArrayDeque<>();
    private Burst burst;

    Run(GeneratorSettings s) {
      this.s = s;
      this.random = new SplittableRandom(s.seed());
      this.timeline = new EventTimeline(s);
      this.zipf = new Zipf(s.keys(), s.skew());
      this.accounts = s.keys();
      this.usualCents = new long[accounts + 1];
      this.home = new int[accounts + 1];
      for (int a = 0; a <= accounts; a++) {
        usualCents[a] = 1_000 + random.nextLong(29_001);
        home[a] = random.nextInt(COUNTRIES.length);
      }
    }

    GeneratedEvents generate() {
      long start = s.start().toEpochMilli();
      long every = PROFILE_EVERY_MINUTES * 60_000L;
      long nextSnapshot = start;
      for (int i = 0; i < s.events(); i++) {
        long base = start + s.span().toMillis() * i / Math.max(1, s.events());
        if (base >= nextSnapshot) {
          if (pendingProfiles.isEmpty()) {
            for (int a = 0; a < accounts; a++) {
              pendingProfiles.add(a);
            }
          }
          nextSnapshot += every * (1 + (base - nextSnapshot) / every);
        }
        long t = timeline.timeOf(i, random);
        if (timeline.wasLate()) {
          late.add(i + 1);
        }
        Record record =
            pendingProfiles.isEmpty() ? transaction(i, t) : profile(pendingProfiles.poll(), t);
        String line = record.json();
        if (s.malformedShare() > 0 && random.nextDouble() < s.malformedShare()) {
          line = record.broken(random.nextInt(10));
          malformed.add(i + 1);
        }
        lines.add(line);
        org.joda.time.Instant time = RiskRecord.timestampOrNull(line);
        eventTimes.add(time == null ? null : time.getMillis());
        keys.add(record.account);
      }
      return new GeneratedEvents(
          List.copyOf(lines),
          Collections.unmodifiableList(new ArrayList<>(eventTimes)),
          List.copyOf(keys),
          Collections.unmodifiableSortedSet(malformed),
          Collections.unmodifiableSortedSet(late));
    }

    private Record profile(int a, long t) {
      if (random.nextDouble() < 0.3) {
        double drift = 0.9 + 0.2 * random.nextDouble();
        usualCents[a] = Math.max(100, Math.round(usualCents[a] * drift));
      }
      Record r = new Record(accountId(a), true);
      r.put("type", quote("account"));
      r.put("ts", quote(Instant.ofEpochMilli(t).toString()));
      r.put("account", quote(accountId(a)));
      r.put("usual_amount", money(usualCents[a]));
      r.put("home_country", quote(COUNTRIES[home[a]][0]));
      return r;
    }

    private Record transaction(int i, long t) {
      if (burst == null && random.nextDouble() < BURST_SHARE) {
        int account = zipf.sample(random);
        burst = new Burst(account, 1 + random.nextInt(CARDS_PER_ACCOUNT), random.nextInt(3));
      }
      int a;
      int card;
      long cents;
      int country;
      boolean byCity;
      if (burst != null) {
        a = burst.account;
        card = burst.card;
        country = home[a];
        byCity = false;
        cents = normalAmount(a);
        switch (burst.kind) {
          case Burst.RAPID:
            break;
          case Burst.BIG:
            cents = Math.round(usualCents[a] * (8 + 12 * random.nextDouble()));
            break;
          default: // TRAVEL: a different foreign country each time
            country = (home[a] + 1 + burst.done) % COUNTRIES.length;
            break;
        }
        if (++burst.done == burst.length()) {
          burst = null;
        }
      } else {
        a = random.nextDouble() < UNKNOWN_ACCOUNT_SHARE ? accounts : zipf.sample(random);
        card = 1 + random.nextInt(CARDS_PER_ACCOUNT);
        cents = normalAmount(a);
        country = random.nextDouble() < 0.97 ? home[a] : random.nextInt(COUNTRIES.length);
        byCity = country == home[a] && random.nextDouble() < 0.1;
      }
      Record r = new Record(accountId(a), false);
      r.put("type", quote("txn"));
      r.put("ts", quote(Instant.ofEpochMilli(t).toString()));
      r.put("txn_id", quote(String.format("t%08d", i + 1)));
      r.put("card", quote(String.format("card-%04d-%d", a + 1, card)));
      r.put("account", quote(accountId(a)));
      r.put("amount", money(cents));
      if (random.nextDouble() < 0.8) {
        r.put("currency", quote(COUNTRIES[home[a]][2]));
      }
      if (byCity) {
        r.put("city", quote(COUNTRIES[country][1]));
      } else {
        r.put("country", quote(COUNTRIES[country][0]));
      }
      return r;
    }

    private long normalAmount(int a) {
      return Math.max(1, Math.round(usualCents[a] * (0.2 + 1.8 * random.nextDouble())));
    }
  }

  /** A fraud burst in progress on one card. */
  private static final class Burst {
    static final int RAPID = 0;
    static final int BIG = 1;
    static final int TRAVEL = 2;

    final int account;
    final int card;
    final int kind;
    int done;

    Burst(int account, int card, int kind) {
      this.account = account;
      this.card = card;
      this.kind = kind;
    }

    int length() {
      return kind == RAPID ? RAPID_TXNS : kind == BIG ? 2 : TRAVEL_TXNS;
    }
  }

  /** One record's fields, in order, as raw JSON values; and the ways to break it. */
  private static final class Record {
    final String account;
    final boolean isProfile;
    final Map<String, String> fields = new java.util.LinkedHashMap<>();

    Record(String account, boolean isProfile) {
      this.account = account;
      this.isProfile = isProfile;
    }

    void put(String field, String rawJson) {
      fields.put(field, rawJson);
    }

    String json() {
      StringBuilder b = new StringBuilder("{");
      fields.forEach(
          (k, v) -> {
            if (b.length() > 1) {
              b.append(',');
            }
            b.append('"').append(k).append("\":").append(v);
          });
      return b.append('}').toString();
    }

    /** This record broken in one of ten ways the parser refuses. */
    String broken(int how) {
      String amountField = isProfile ? "usual_amount" : "amount";
      switch (how) {
        case 0:
          return json().substring(0, json().length() / 2); // cut short: not JSON
        case 1:
          return "[" + fields.get("ts") + "]"; // not an object
        case 2:
          fields.remove("ts"); // missing ts
          return json();
        case 3:
          fields.put("ts", quote("yesterday")); // bad timestamp
          return json();
        case 4:
          fields.put(amountField, quote(fields.get(amountField))); // amount as a string
          return json();
        case 5:
          fields.put(amountField, "-" + fields.get(amountField)); // negative amount
          return json();
        case 6:
          fields.put("type", quote("refund")); // unknown type
          return json();
        case 7:
          fields.remove(isProfile ? "account" : "card"); // missing field
          return json();
        case 8:
          fields.put(amountField, fields.get(amountField) + "5"); // three decimals
          return json();
        default:
          if (isProfile) {
            fields.put("home_country", quote("")); // empty field
          } else {
            fields.put("currency", quote("euro")); // bad currency
          }
          return json();
      }
    }
  }

  private static String accountId(int a) {
    return String.format("acct-%04d", a + 1);
  }

  private static String money(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
