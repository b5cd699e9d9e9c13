package dev.sluice.transforms.join;

import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Streams joined per event-time window, driven by TestStream (event time only). */
@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class WindowedJoinTest {
  private static final KvCoder<String, String> STRINGS =
      KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
  private static final Duration MINUTE = Duration.standardMinutes(1);

  private static TimestampedValue<KV<String, String>> at(long seconds, String key, String value) {
    return TimestampedValue.of(KV.of(key, value), new Instant(seconds * 1000));
  }

  private static IntervalWindow window(long startSeconds, long endSeconds) {
    return new IntervalWindow(new Instant(startSeconds * 1000), new Instant(endSeconds * 1000));
  }

  @Test
  void recordsOfAKeyJoinWithinTheirWindowAndNotAcrossWindows(TestPipeline p) {
    // Two streams, each out of order within its open windows; nothing is late.
    PCollection<KV<String, String>> left =
        p.apply(
            "Left",
            TestStream.create(STRINGS)
                .addElements(at(50, "a", "La1"), at(10, "a", "La2"), at(30, "b", "Lb"))
                .advanceWatermarkTo(new Instant(60_000))
                .addElements(at(70, "a", "La3"), at(100, "c", "Lc"))
                .advanceWatermarkToInfinity());
    PCollection<KV<String, String>> right =
        p.apply(
            "Right",
            TestStream.create(STRINGS)
                .addElements(at(20, "a", "Ra1"), at(90, "b", "Rb"))
                .advanceWatermarkTo(new Instant(60_000))
                .addElements(at(80, "a", "Ra2"), at(65, "a", "Ra3"))
                .advanceWatermarkToInfinity());

    WindowedJoin perMinute = WindowedJoin.into(FixedWindows.of(MINUTE));
    PCollection<KV<String, Joined<String, String>>> inner =
        left.apply("Inner", perMinute.inner(right));
    PCollection<KV<String, Joined<String, String>>> full =
        left.apply("FullOuter", perMinute.fullOuter(right));

    // Window [0s, 60s): both left "a" values meet Ra1; "b" is only on the left here.
    PAssert.that(inner)
        .inWindow(window(0, 60))
        .containsInAnyOrder(
            List.of(KV.of("a", Joined.both("La1", "Ra1")), KV.of("a", Joined.both("La2", "Ra1"))));
    // Window [60s, 120s): La3 meets Ra2 and Ra3; Lb (window 0) never meets Rb (window 1).
    PAssert.that(inner)
        .inWindow(window(60, 120))
        .containsInAnyOrder(
            List.of(KV.of("a", Joined.both("La3", "Ra2")), KV.of("a", Joined.both("La3", "Ra3"))));
    PAssert.that(full)
        .inWindow(window(0, 60))
        .containsInAnyOrder(
            List.of(
                KV.of("a", Joined.both("La1", "Ra1")),
                KV.of("a", Joined.both("La2", "Ra1")),
                KV.of("b", Joined.<String, String>leftOnly("Lb"))));
    PAssert.that(full)
        .inWindow(window(60, 120))
        .containsInAnyOrder(
            List.of(
                KV.of("a", Joined.both("La3", "Ra2")),
                KV.of("a", Joined.both("La3", "Ra3")),
                KV.of("b", Joined.<String, String>rightOnly("Rb")),
                KV.of("c", Joined.<String, String>leftOnly("Lc"))));
    p.run().waitUntilFinish();
  }

  @Test
  void streamsTheCallerWindowedJoinInEverySlidingWindowTheyShare(TestPipeline p) {
    // Sliding windows of 2 min every minute: L (30s) is in [-60s,60s) and [0s,120s);
    // R1 (90s) in [0s,120s) and [60s,180s); R2 (150s) in [60s,180s) and [120s,240s).
    Window<KV<String, String>> sliding = Window.into(SlidingWindows.of(MINUTE.multipliedBy(2)));
    PCollection<KV<String, String>> left =
        p.apply(
                "Left",
                TestStream.create(STRINGS)
                    .addElements(at(30, "a", "L"))
                    .advanceWatermarkToInfinity())
            .apply("SlideLeft", sliding);
    PCollection<KV<String, String>> right =
        p.apply(
                "Right",
                TestStream.create(STRINGS)
                    .addElements(at(90, "a", "R1"))
                    .advanceWatermarkTo(new Instant(100_000))
                    .addElements(at(150, "a", "R2"))
                    .advanceWatermarkToInfinity())
            .apply("SlideRight", sliding);

    PCollection<KV<String, Joined<String, String>>> full =
        left.apply("FullOuter", Join.fullOuter(right));

    PAssert.that(full)
        .inWindow(window(-60, 60))
        .containsInAnyOrder(List.of(KV.of("a", Joined.<String, String>leftOnly("L"))));
    PAssert.that(full)
        .inWindow(window(0, 120))
        .containsInAnyOrder(List.of(KV.of("a", Joined.both("L", "R1"))));
    PAssert.that(full)
        .inWindow(window(60, 180))
        .containsInAnyOrder(
            List.of(
                KV.of("a", Joined.<String, String>rightOnly("R1")),
                KV.of("a", Joined.<String, String>rightOnly("R2"))));
    PAssert.that(full)
        .inWindow(window(120, 240))
        .containsInAnyOrder(List.of(KV.of("a", Joined.<String, String>rightOnly("R2"))));
    p.run().waitUntilFinish();
  }

  /**
   * One script for both sides, so the order of records and watermark is fixed; the split gives the
   * join two streams. Left L1 and right R1 are on time in window [0s, 60s); L2 (at 20 s) comes when
   * the watermark is at 120 s, 60 s past the window's end; L3 (at 30 s) comes when it is at 600 s,
   * past the end of a 5 min allowed lateness (360 s).
   */
  private static PCollection<KV<String, Joined<String, String>>> lateScript(
      TestPipeline p, WindowedJoin join) {
    PCollection<KV<String, String>> both =
        p.apply(
            "Script",
            TestStream.create(STRINGS)
                .addElements(at(10, "a", "L1"), at(40, "a", "R1"))
                .advanceWatermarkTo(new Instant(120_000))
                .addElements(at(20, "a", "L2"))
                .advanceWatermarkTo(new Instant(600_000))
                .addElements(at(30, "a", "L3"))
                .advanceWatermarkToInfinity());
    PCollection<KV<String, String>> left =
        both.apply("Left", Filter.by(kv -> kv.getValue().startsWith("L")));
    PCollection<KV<String, String>> right =
        both.apply("Right", Filter.by(kv -> kv.getValue().startsWith("R")));
    return left.apply("Join", join.inner(right));
  }

  // Direct only: on Flink and Spark, TestStream data behind the watermark was counted on time.
  @Tag("direct-only")
  @Test
  void aLateRecordWithinTheAllowedLatenessRestatesItsKeysWindowInALatePane(TestPipeline p) {
    PCollection<KV<String, Joined<String, String>>> rows =
        lateScript(
            p,
            WindowedJoin.into(FixedWindows.of(MINUTE))
                .withAllowedLateness(Duration.standardMinutes(5)));

    KV<String, Joined<String, String>> l1r1 = KV.of("a", Joined.both("L1", "R1"));
    KV<String, Joined<String, String>> l2r1 = KV.of("a", Joined.both("L2", "R1"));
    PAssert.that(rows).inOnTimePane(window(0, 60)).containsInAnyOrder(List.of(l1r1));
    // Accumulating: the late pane restates L1-R1 and adds L2-R1; L3 came too late to join.
    PAssert.that(rows).inLatePane(window(0, 60)).containsInAnyOrder(List.of(l1r1, l2r1));
    PAssert.that(rows).inWindow(window(0, 60)).containsInAnyOrder(List.of(l1r1, l1r1, l2r1));
    p.run().waitUntilFinish();
  }

  // Direct only: on Flink and Spark, TestStream data behind the watermark was counted on time.
  @Tag("direct-only")
  @Test
  void withoutAllowedLatenessALateRecordIsDroppedAndJoinsNothing(TestPipeline p) {
    PCollection<KV<String, Joined<String, String>>> rows =
        lateScript(p, WindowedJoin.into(FixedWindows.of(MINUTE)));

    PAssert.that(rows)
        .inWindow(window(0, 60))
        .containsInAnyOrder(List.of(KV.of("a", Joined.both("L1", "R1"))));
    p.run().waitUntilFinish();
  }
}
