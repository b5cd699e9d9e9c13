package dev.sluice.launcher.generate;

import dev.sluice.pipelines.trending.ClickEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Generates trending-items' input, click events {@code {"ts","user","item","category"}}: {@code
 * keys} items ({@code item-0001} ...) spread round-robin over six categories, clicked with Zipf
 * popularity ({@code skew}; {@code item-0001} is the most popular), by {@value #USERS} users
 * ({@code user-001} ... with a mild Zipf skew of {@value #USER_SKEW}). Trends shift: in each
 * category its least popular item rises, taking a share of the category's clicks that grows from 0
 * at the start of the span to {@value #RISING_SHARE} at its end, so it climbs the top lists. Event
 * times come from {@link EventTimeline}; a {@code malformedShare} of records is broken in one of
 * nine ways {@link ClickEvent#parse} refuses. Each good record's Kafka key is its item.
 *
 * <p>The {@value #USERS} users stay below the 384 distinct values an HLL sketch of lgK 12 keeps as
 * exact hash coupons, so trending-items' distinct users equal the exact count of its model.
 */
public final class ClickGenerator implements EventGenerator {
  /** How many users click. */
  public static final int USERS = 250;

  /** Zipf exponent of the users' activity. */
  public static final double USER_SKEW = 0.6;

  /** The share of a category's clicks its rising item takes by the end of the span. */
  public static final double RISING_SHARE = 0.4;

  private static final String[] CATEGORIES = {
    "books", "electronics", "garden", "music", "sports", "toys"
  };

  @Override
  public String kind() {
    return "clicks";
  }

  @Override
  public String description() {
    return "trending-items input: JSON lines {\"ts\",\"user\",\"item\",\"category\"}, Zipf items"
        + " (--keys, --skew) in 6 categories, 250 users, one rising item per category";
  }

  /** The id of the item of Zipf rank {@code rank} (0 is the most popular). */
  public static String item(int rank) {
    return String.format("item-%04d", rank + 1);
  }

  /** The category of the item of Zipf rank {@code rank}. */
  public static String category(int rank) {
    return CATEGORIES[rank % CATEGORIES.length];
  }

  /** The id of user {@code index}, 0-based. */
  public static String user(int index) {
    return String.format("user-%03d", index + 1);
  }

  @Override
  public GeneratedEvents generate(GeneratorSettings s) {
    SplittableRandom random = new SplittableRandom(s.seed());
    EventTimeline timeline = new EventTimeline(s);
    Zipf items = new Zipf(s.keys(), s.skew());
    Zipf users = new Zipf(USERS, USER_SKEW);
    // The rising item of each category: its least popular one.
    int[] rising = new int[CATEGORIES.length];
    for (int rank = 0; rank < s.keys(); rank++) {
      rising[rank % CATEGORIES.length] = rank;
    }

    List<String> lines = new ArrayList<>(s.events());
    List<Long> times = new ArrayList<>(s.events());
    List<String> keys = new ArrayList<>(s.events());
    SortedSet<Integer> malformed = new TreeSet<>();
    SortedSet<Integer> late = new TreeSet<>();
    for (int i = 0; i < s.events(); i++) {
      long t = timeline.timeOf(i, random);
      boolean wasLate = timeline.wasLate();
      int rank = items.sample(random);
      double progress = (double) i / Math.max(1, s.events());
      if (random.nextDouble() < RISING_SHARE * progress) {
        rank = rising[rank % CATEGORIES.length];
      }
      String user = user(users.sample(random));
      boolean asMillis = random.nextInt(10) == 0;
      String ts = asMillis ? Long.toString(t) : "\"" + Instant.ofEpochMilli(t) + "\"";
      String line;
      if (s.malformedShare() > 0 && random.nextDouble() < s.malformedShare()) {
        malformed.add(i + 1);
        line = malformed(random, ts, user, item(rank), category(rank));
        keys.add(null);
      } else {
        if (wasLate) {
          late.add(i + 1);
        }
        line = click(ts, user, item(rank), category(rank));
        keys.add(item(rank));
      }
      lines.add(line);
      times.add(ClickEvent.timestampOrNull(line));
    }
    return new GeneratedEvents(
        List.copyOf(lines),
        Collections.unmodifiableList(times),
        Collections.unmodifiableList(keys),
        Collections.unmodifiableSortedSet(malformed),
        Collections.unmodifiableSortedSet(late));
  }

  private static String click(String ts, String user, String item, String category) {
    return "{\"ts\":"
        + ts
        + ",\"user\":\""
        + user
        + "\",\"item\":\""
        + item
        + "\",\"category\":\""
        + category
        + "\"}";
  }

  /** A record the parser refuses, in one of nine ways (each kind it knows, some twice). */
  private static String malformed(
      SplittableRandom random, String ts, String user, String item, String category) {
    switch (random.nextInt(9)) {
      case 0:
        return click(ts, user, item, category).substring(0, 20); // cut short: not-json
      case 1:
        return "[" + ts + ",\"" + user + "\",\"" + item + "\"]"; // not-object
      case 2:
        return "{\"user\":\""
            + user
            + "\",\"item\":\""
            + item
            + "\",\"category\":\""
            + category
            + "\"}"; // missing-field ts
      case 3:
        return "{\"ts\":"
            + ts
            + ",\"item\":\""
            + item
            + "\",\"category\":\""
            + category
            + "\"}"; // missing-field user
      case 4:
        int itemNumber = Integer.parseInt(item.substring("item-".length()));
        return "{\"ts\":"
            + ts
            + ",\"user\":\""
            + user
            + "\",\"item\":"
            + itemNumber
            + ",\"category\":\""
            + category
            + "\"}"; // wrong-type: item as a number
      case 5:
        return click("\"yesterday\"", user, item, category); // bad-timestamp
      case 6:
        return click("99999999999999999", user, item, category); // bad-timestamp: year 3170843
      case 7:
        return click(ts, user, item, " "); // empty-value category
      default:
        String tooLong = "user-" + "x".repeat(ClickEvent.MAX_ID_LENGTH);
        return click(ts, tooLong, item, category); // too-long
    }
  }
}
