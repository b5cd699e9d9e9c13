package dev.sluice.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Windows and triggers from a {@link WindowSpec}, driven through on-time, early, late and droppably
 * late data in the style of Beam's LeaderBoardTest: scores per team summed per window, each result
 * asserted with its window and pane.
 *
 * <p>Only the first two tests run on Flink and Spark as well. The others are Direct-only: early
 * panes by count depend on bundling; early panes after a delay advance processing time (Flink
 * refuses it, Spark hangs); and on Flink and Spark a TestStream element that follows a watermark
 * advance past its window was counted on time rather than late (measured with Beam 2.70.0).
 */
@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class TriggeredSlidingWindowsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long MINUTE = 60_000L;

  private static TimestampedValue<KV<String, Integer>> score(String team, int points, int second) {
    return TimestampedValue.of(KV.of(team, points), T0.plus(Duration.standardSeconds(second)));
  }

  private static TestStream.Builder<KV<String, Integer>> scores() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()));
  }

  private static Instant at(int minutes, int seconds) {
    return T0.plus(Duration.standardMinutes(minutes)).plus(Duration.standardSeconds(seconds));
  }

  /** The expected result for the window starting {@code startMinute} minutes after T0. */
  private static InWindow<KV<String, Integer>> expected(
      String team,
      int sum,
      int startMinute,
      int sizeMinutes,
      PaneLabel pane,
      int index,
      boolean isFinal) {
    long start = T0.getMillis() + startMinute * MINUTE;
    return InWindow.of(KV.of(team, sum), start, start + sizeMinutes * MINUTE, pane, index, isFinal);
  }

  private static PCollection<InWindow<KV<String, Integer>>> sumPerTeam(
      TestPipeline p, TestStream<KV<String, Integer>> stream, String spec) {
    return p.apply(stream)
        .apply("Window", WindowSpec.parse(spec).<KV<String, Integer>>window())
        .apply("SumPerTeam", Sum.integersPerKey())
        .apply("Reify", ReifyWindowAndPane.create());
  }

  @Test
  void onTimeDataFiresOneFinalOnTimePanePerSlidingWindow(TestPipeline p) {
    TestStream<KV<String, Integer>> stream =
        scores()
            .addElements(score("red", 1, 30), score("red", 2, 45), score("blue", 5, 90))
            .advanceWatermarkTo(at(1, 0))
            .addElements(score("blue", 3, 70)) // out of order, its windows are still open
            .advanceWatermarkToInfinity();
    PAssert.that(sumPerTeam(p, stream, "size=2m,every=1m"))
        .containsInAnyOrder(
            expected("red", 3, -1, 2, PaneLabel.ON_TIME, 0, true),
            expected("red", 3, 0, 2, PaneLabel.ON_TIME, 0, true),
            expected("blue", 8, 0, 2, PaneLabel.ON_TIME, 0, true),
            expected("blue", 8, 1, 2, PaneLabel.ON_TIME, 0, true));
    p.run().waitUntilFinish();
  }

  @Test
  void windowsWithoutDataProduceNothing(TestPipeline p) {
    TestStream<KV<String, Integer>> stream =
        scores()
            .addElements(score("red", 1, 10))
            .advanceWatermarkTo(at(30, 0))
            .addElements(score("red", 4, 31 * 60 + 5)) // a gap of 30 empty minutes before it
            .advanceWatermarkToInfinity();
    PAssert.that(sumPerTeam(p, stream, "size=1m"))
        .containsInAnyOrder(
            expected("red", 1, 0, 1, PaneLabel.ON_TIME, 0, true),
            expected("red", 4, 31, 1, PaneLabel.ON_TIME, 0, true));
    p.run().waitUntilFinish();
  }

  @Test
  @Tag("direct-only")
  void earlyPanesByElementCountThenTheOnTimePane(TestPipeline p) {
    TestStream<KV<String, Integer>> stream =
        scores()
            .addElements(score("red", 1, 10), score("red", 2, 20))
            .addElements(score("red", 4, 30))
            .advanceWatermarkToInfinity();
    // Discarding: the early pane holds the first two scores, the on-time pane only the third.
    PAssert.that(sumPerTeam(p, stream, "size=10m,early=2,discarding"))
        .containsInAnyOrder(
            expected("red", 3, 0, 10, PaneLabel.EARLY, 0, false),
            expected("red", 4, 0, 10, PaneLabel.ON_TIME, 1, true));
    p.run().waitUntilFinish();
  }

  @Test
  @Tag("direct-only")
  void earlyPanesAfterAProcessingTimeDelayAccumulate(TestPipeline p) {
    TestStream<KV<String, Integer>> stream =
        scores()
            .addElements(score("red", 1, 10))
            .advanceProcessingTime(Duration.standardSeconds(31))
            .addElements(score("red", 2, 20))
            .advanceProcessingTime(Duration.standardSeconds(31))
            .addElements(score("red", 4, 30))
            .advanceWatermarkToInfinity();
    PAssert.that(sumPerTeam(p, stream, "size=10m,early=30s,accumulating"))
        .containsInAnyOrder(
            expected("red", 1, 0, 10, PaneLabel.EARLY, 0, false),
            expected("red", 3, 0, 10, PaneLabel.EARLY, 1, false),
            expected("red", 7, 0, 10, PaneLabel.ON_TIME, 2, true));
    p.run().waitUntilFinish();
  }

  @Test
  @Tag("direct-only")
  void lateDataWithinAllowedLatenessUpdatesTheWindowInALatePane(TestPipeline p) {
    TestStream<KV<String, Integer>> stream =
        scores()
            .addElements(score("red", 1, 10), score("red", 2, 20))
            .advanceWatermarkTo(at(12, 0)) // the window [0, 10m) fires on time
            .addElements(score("red", 4, 30)) // late, but within the 1h lateness
            .advanceWatermarkToInfinity();
    PAssert.that(sumPerTeam(p, stream, "size=10m,late=each,lateness=1h,accumulating"))
        .containsInAnyOrder(
            expected("red", 3, 0, 10, PaneLabel.ON_TIME, 0, false),
            // Accumulating: the late pane repeats the on-time data. Neither pane is final: the
            // window stays open for late data until the lateness runs out, and closing it fires
            // nothing when no new data is pending.
            expected("red", 7, 0, 10, PaneLabel.LATE, 1, false));
    p.run().waitUntilFinish();
  }

  @Test
  @Tag("direct-only")
  void discardingLatePanesCarryOnlyTheNewData(TestPipeline p) {
    TestStream<KV<String, Integer>> stream =
        scores()
            .addElements(score("red", 1, 10), score("red", 2, 20))
            .advanceWatermarkTo(at(12, 0))
            .addElements(score("red", 4, 30))
            .advanceWatermarkTo(at(13, 0))
            .addElements(score("red", 8, 40))
            .advanceWatermarkToInfinity();
    PAssert.that(sumPerTeam(p, stream, "size=10m,late=each,lateness=1h,discarding"))
        .containsInAnyOrder(
            expected("red", 3, 0, 10, PaneLabel.ON_TIME, 0, false),
            expected("red", 4, 0, 10, PaneLabel.LATE, 1, false),
            expected("red", 8, 0, 10, PaneLabel.LATE, 2, false));
    p.run().waitUntilFinish();
  }

  @Test
  @Tag("direct-only")
  void droppablyLateDataIsDroppedAndCounted(TestPipeline p) {
    TestStream<KV<String, Integer>> stream =
        scores()
            .addElements(score("red", 1, 10))
            .advanceWatermarkTo(at(16, 0)) // past the end of [0, 10m) plus 5m of lateness
            .addElements(score("red", 100, 20), score("red", 200, 30)) // both droppably late
            .advanceWatermarkToInfinity();
    PAssert.that(sumPerTeam(p, stream, "size=10m,late=each,lateness=5m"))
        // The watermark jumped past the end of the lateness at once: the on-time pane is final.
        .containsInAnyOrder(expected("red", 1, 0, 10, PaneLabel.ON_TIME, 0, true));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long dropped = 0;
    for (MetricResult<Long> counter :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      // The DirectRunner names it DroppedDueToLateness, runners-core droppedDueToLateness.
      if (counter.getName().getName().equalsIgnoreCase("droppedDueToLateness")) {
        dropped += counter.getAttempted();
      }
    }
    assertThat(dropped, equalTo(2L));
  }
}
