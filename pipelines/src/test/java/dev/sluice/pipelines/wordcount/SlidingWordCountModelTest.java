package dev.sluice.pipelines.wordcount;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import java.util.List;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class SlidingWordCountModelTest {
  @Test
  void countsEachWordInEveryWindowThatHoldsItsTime() {
    // Windows of 2 minutes every minute: 00:01:30 lies in [00:00, 00:02) and [00:01, 00:03).
    List<String> lines =
        SlidingWordCountModel.compute(
            List.of(
                "{\"ts\":\"2026-01-01T00:01:30Z\",\"text\":\"a b a\"}",
                "not json",
                "{\"ts\":\"2026-01-01T00:02:00Z\",\"text\":\"b\"}"),
            Duration.standardMinutes(2),
            Duration.standardMinutes(1));
    assertThat(
        lines,
        contains(
            line("a", 2, "00:00", "00:02"),
            line("b", 1, "00:00", "00:02"),
            line("a", 2, "00:01", "00:03"),
            line("b", 2, "00:01", "00:03"),
            line("b", 1, "00:02", "00:04")));
  }

  private static String line(String word, int count, String start, String end) {
    return String.format(
        "{\"word\":\"%s\",\"count\":%d,\"window_start\":\"2026-01-01T%s:00Z\","
            + "\"window_end\":\"2026-01-01T%s:00Z\",\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true}",
        word, count, start, end);
  }
}
