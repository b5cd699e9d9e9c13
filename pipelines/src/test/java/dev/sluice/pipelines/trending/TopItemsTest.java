package dev.sluice.pipelines.trending;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.transforms.quality.InvalidRecordException;
import dev.sluice.transforms.window.WindowSpec;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The job's core transform on a runner, against hand-worked lines and against the model. */
@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class TopItemsTest {
  private static final Duration TEN_MINUTES = Duration.standardMinutes(10);
  private static final Duration FIVE_MINUTES = Duration.standardMinutes(5);

  @Test
  void ranksTheHandWorkedClicks(TestPipeline p) {
    PCollection<String> top =
        p.apply(Create.timestamped(timestamped(TrendingItemsModelTest.CLICKS)))
            .apply(new TrendingItems.TopItems(WindowSpec.sliding(TEN_MINUTES, FIVE_MINUTES), 2, 0));
    PAssert.that(top).containsInAnyOrder(TrendingItemsModelTest.EXPECTED);
    p.run().waitUntilFinish();
  }

  @Test
  void saltingHotItemsGivesTheSameTopLists(TestPipeline p) {
    PCollection<String> top =
        p.apply(Create.timestamped(timestamped(TrendingItemsModelTest.CLICKS)))
            .apply(new TrendingItems.TopItems(WindowSpec.sliding(TEN_MINUTES, FIVE_MINUTES), 2, 4));
    PAssert.that(top).containsInAnyOrder(TrendingItemsModelTest.EXPECTED);
    p.run().waitUntilFinish();
  }

  /** 3 000 skewed clicks in an hour: the pipeline, with hot items salted, equals the model. */
  @Test
  void equalsTheModelOnSkewedClicks(TestPipeline p) {
    List<String> lines = skewedClicks(3_000);
    PCollection<String> top =
        p.apply(Create.timestamped(timestamped(lines)))
            .apply(
                new TrendingItems.TopItems(WindowSpec.sliding(TEN_MINUTES, FIVE_MINUTES), 3, 16));
    PAssert.that(top)
        .containsInAnyOrder(
            TrendingItemsModel.compute(lines, TEN_MINUTES, FIVE_MINUTES, 3).get(""));
    p.run().waitUntilFinish();
  }

  /**
   * A stream whose clicks arrive out of order but before the watermark passes their windows: one
   * ON_TIME top list per category and window, the same as the model's for all the clicks.
   */
  @Test
  void outOfOrderClicksInOpenWindowsAreRankedOnce(TestPipeline p) {
    List<TimestampedValue<ClickEvent>> clicks = timestamped(TrendingItemsModelTest.CLICKS);
    TestStream<ClickEvent> stream =
        TestStream.create(ClickEvent.Coder.of())
            .addElements(clicks.get(3), clicks.get(0), clicks.get(2))
            .advanceWatermarkTo(Instant.parse("2026-01-01T00:03:30Z"))
            .addElements(clicks.get(1), clicks.get(9), clicks.get(5)) // 00:02 still open
            .advanceWatermarkTo(Instant.parse("2026-01-01T00:05:00Z"))
            .addElements(clicks.get(8), clicks.get(7), clicks.get(6), clicks.get(4))
            .advanceWatermarkToInfinity();
    PCollection<String> top =
        p.apply(stream)
            .apply(new TrendingItems.TopItems(WindowSpec.sliding(TEN_MINUTES, FIVE_MINUTES), 2, 0));
    PAssert.that(top).containsInAnyOrder(TrendingItemsModelTest.EXPECTED);
    p.run().waitUntilFinish();
  }

  /**
   * The same stream with an early top list after every bundle: each window's on-time list is the
   * model's, and no early list names an item twice (a tally per item grouped again per category
   * would, its accumulating panes counted once each). Direct only: how many early panes fire by
   * count depends on the runner's bundles.
   */
  @Test
  @Tag("direct-only")
  void earlyTopListsRankEachItemOnceAndEndWithTheModelsList(TestPipeline p) {
    List<TimestampedValue<ClickEvent>> clicks = timestamped(TrendingItemsModelTest.CLICKS);
    TestStream<ClickEvent> stream =
        TestStream.create(ClickEvent.Coder.of())
            .addElements(clicks.get(3), clicks.get(0), clicks.get(2))
            .addElements(clicks.get(1), clicks.get(9), clicks.get(5))
            .advanceWatermarkTo(Instant.parse("2026-01-01T00:05:00Z"))
            .addElements(clicks.get(8), clicks.get(7))
            .addElements(clicks.get(6), clicks.get(4))
            .advanceWatermarkToInfinity();
    WindowSpec windows = triggered("early=1");
    PCollection<String> top = p.apply(stream).apply(new TrendingItems.TopItems(windows, 2, 0));
    PAssert.that(top)
        .satisfies(
            lines -> {
              List<String> onTime = new ArrayList<>();
              Map<String, Set<String>> itemsPerList = new HashMap<>();
              for (String line : lines) {
                JsonNode json = json(line);
                if (json.get("pane").asText().equals("ON_TIME")) {
                  onTime.add(line.replaceAll("\"pane_index\":\\d+", "\"pane_index\":0"));
                }
                String list =
                    json.get("category").asText()
                        + " "
                        + json.get("window_start").asText()
                        + " pane "
                        + json.get("pane_index").asInt();
                assertThat(
                    list + " names " + json.get("item").asText() + " once",
                    itemsPerList
                        .computeIfAbsent(list, k -> new HashSet<>())
                        .add(json.get("item").asText()),
                    is(true));
              }
              assertThat(
                  onTime,
                  containsInAnyOrder(TrendingItemsModelTest.EXPECTED.toArray(new String[0])));
              assertThat(
                  "early lists came", itemsPerList.size() - countLists(onTime), greaterThan(0L));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void saltedHotItemsRefuseEarlyPanes() {
    WindowSpec windows = triggered("early=1");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new TrendingItems.TopItems(windows, 2, 4));
    assertThat(e.getMessage(), containsString("--hotKeyFanout: salted sub-keys take no --trigger"));
  }

  /** Windows of 10 minutes every 5 with {@code --trigger=<trigger>}, as the job builds them. */
  private static WindowSpec triggered(String trigger) {
    return WindowSpec.sliding(TEN_MINUTES, FIVE_MINUTES)
        .accumulatingPanes()
        .withTrigger("--trigger", trigger);
  }

  /** How many top lists (category, window) these lines are ranks of. */
  private static long countLists(List<String> lines) {
    return lines.stream()
        .map(l -> json(l).get("category").asText() + json(l).get("window_start").asText())
        .distinct()
        .count();
  }

  private static JsonNode json(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses the good lines, each at its own event time. */
  static List<TimestampedValue<ClickEvent>> timestamped(List<String> lines) {
    List<TimestampedValue<ClickEvent>> clicks = new ArrayList<>();
    for (String line : lines) {
      try {
        ClickEvent click = ClickEvent.parse(line);
        clicks.add(TimestampedValue.of(click, click.timestamp()));
      } catch (InvalidRecordException e) {
        // the pipeline's parse step sends it to the dead letters; not part of this transform
      }
    }
    return clicks;
  }

  /** Clicks over an hour, 40 items with Zipf-like popularity in 3 categories, 60 users. */
  static List<String> skewedClicks(int n) {
    SplittableRandom random = new SplittableRandom(11);
    long start = Instant.parse("2026-01-01T00:00:00Z").getMillis();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int item = (int) Math.floor(Math.pow(40, random.nextDouble())) - 1; // 0 is the hottest
      long t = start + 3_600_000L * i / n - random.nextLong(60_000);
      lines.add(
          String.format(
              "{\"ts\":%d,\"user\":\"u%d\",\"item\":\"item-%02d\",\"category\":\"c%d\"}",
              t, random.nextInt(60), item, item % 3));
    }
    return lines;
  }
}
