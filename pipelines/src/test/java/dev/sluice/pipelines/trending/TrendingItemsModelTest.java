package dev.sluice.pipelines.trending;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class TrendingItemsModelTest {
  /** Ten clicks between 00:01 and 00:09:30 on 2026-01-01 and one bad line. */
  static final List<String> CLICKS =
      List.of(
          click("00:01:00", "u1", "a", "books"),
          click("00:02:00", "u2", "a", "books"),
          click("00:03:00", "u1", "a", "books"),
          click("00:04:00", "u1", "b", "books"),
          click("00:05:30", "u4", "c", "books"),
          "not json",
          click("00:06:00", "u3", "b", "books"),
          click("00:07:00", "u3", "b", "books"),
          click("00:08:00", "u1", "c", "books"),
          click("00:09:00", "u2", "x", "toys"),
          click("00:09:30", "u4", "c", "books"));

  /**
   * Windows of 10 minutes every 5, top 2. Worked by hand: a click in [00:00, 00:05) lies in [23:55,
   * 00:05) and [00:00, 00:10); one in [00:05, 00:10) in [00:00, 00:10) and [00:05, 00:15).
   *
   * <ul>
   *   <li>[23:55, 00:05): books a 3 clicks by u1, u2 (2 users); b 1 click by u1.
   *   <li>[00:00, 00:10): books a, b and c 3 clicks each, 2 users each (a: u1 u2; b: u1 u3; c: u4
   *       u1); the tie goes by item id, so a and b make the top 2 and c does not. toys x 1 click.
   *   <li>[00:05, 00:15): books c 3 clicks by u4, u1, u4 (2 users) ranks above b, 2 clicks by u3 (1
   *       user), although "b" sorts first; toys x 1.
   * </ul>
   */
  static final List<String> EXPECTED =
      List.of(
          line("books", 1, "a", 3, 2, "2025-12-31T23:55:00Z", "2026-01-01T00:05:00Z"),
          line("books", 2, "b", 1, 1, "2025-12-31T23:55:00Z", "2026-01-01T00:05:00Z"),
          line("books", 1, "a", 3, 2, "2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z"),
          line("books", 2, "b", 3, 2, "2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z"),
          line("toys", 1, "x", 1, 1, "2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z"),
          line("books", 1, "c", 3, 2, "2026-01-01T00:05:00Z", "2026-01-01T00:15:00Z"),
          line("books", 2, "b", 2, 1, "2026-01-01T00:05:00Z", "2026-01-01T00:15:00Z"),
          line("toys", 1, "x", 1, 1, "2026-01-01T00:05:00Z", "2026-01-01T00:15:00Z"));

  @Test
  void ranksItemsPerCategoryByClicksThenItemIdAndCountsDistinctUsers() {
    Map<String, List<String>> outputs =
        TrendingItemsModel.compute(
            CLICKS, Duration.standardMinutes(10), Duration.standardMinutes(5), 2);
    assertThat(outputs.keySet(), contains(""));
    assertThat(outputs.get(""), equalTo(EXPECTED));
  }

  @Test
  void aTopListIsAsLongAsTheCategoryHasItemsAtMost() {
    // One 1-minute window; books has 2 items, top 3 lists both, top 1 only the first.
    List<String> clicks =
        List.of(
            click("00:00:10", "u1", "b", "books"),
            click("00:00:20", "u1", "b", "books"),
            click("00:00:30", "u2", "a", "books"));
    Duration minute = Duration.standardMinutes(1);
    String start = "2026-01-01T00:00:00Z";
    String end = "2026-01-01T00:01:00Z";
    assertThat(
        TrendingItemsModel.compute(clicks, minute, minute, 3).get(""),
        contains(line("books", 1, "b", 2, 1, start, end), line("books", 2, "a", 1, 1, start, end)));
    assertThat(
        TrendingItemsModel.compute(clicks, minute, minute, 1).get(""),
        contains(line("books", 1, "b", 2, 1, start, end)));
  }

  @Test
  void noGoodClicksGiveNoLines() {
    assertThat(
        TrendingItemsModel.compute(
                List.of("{}", "[]"), Duration.standardMinutes(1), Duration.standardMinutes(1), 5)
            .get(""),
        empty());
  }

  static String click(String time, String user, String item, String category) {
    return String.format(
        "{\"ts\":\"2026-01-01T%sZ\",\"user\":\"%s\",\"item\":\"%s\",\"category\":\"%s\"}",
        time, user, item, category);
  }

  static String line(
      String category, int rank, String item, long clicks, long users, String start, String end) {
    return String.format(
        "{\"category\":\"%s\",\"rank\":%d,\"item\":\"%s\",\"clicks\":%d,\"distinct_users\":%d,"
            + "\"window_start\":\"%s\",\"window_end\":\"%s\",\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true}",
        category, rank, item, clicks, users, start, end);
  }
}
