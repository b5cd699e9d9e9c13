package dev.sluice.transforms.distinct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Counting in pipelines: globally, per key, per window, from an event-time stream, and daily
 * uniques from hourly sketches. The sets are small enough (below a tenth of {@code 2^lgK}) that
 * DataSketches keeps the hashes themselves, so the rounded estimate must equal the exact count,
 * which each test computes from its input in plain Java.
 */
@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class ApproximateDistinctTest {
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final Duration HOUR = Duration.standardHours(1);
  private static final Duration DAY = Duration.standardDays(1);

  @Test
  void countsTheDistinctElementsOfACollection(TestPipeline p) {
    List<String> input = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      input.add("user-" + (i * i) % 97); // the quadratic residues mod 97, repeated
    }
    input.add(""); // encodes to no bytes at all, and still counts
    input.add("");
    long exact = new HashSet<>(input).size();

    PAssert.thatSingleton(p.apply(Create.of(input)).apply(ApproximateDistinct.globally()))
        .isEqualTo(exact);
    p.run().waitUntilFinish();
  }

  @Test
  void countsTheDistinctValuesOfEachKey(TestPipeline p) {
    List<KV<String, Integer>> input = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      input.add(KV.of("page-" + i % 3, (i * 7) % (50 + 40 * (i % 3))));
    }
    Map<String, Set<Integer>> exact = new HashMap<>();
    for (KV<String, Integer> kv : input) {
      exact.computeIfAbsent(kv.getKey(), k -> new HashSet<>()).add(kv.getValue());
    }
    List<KV<String, Long>> expected = new ArrayList<>();
    exact.forEach((k, values) -> expected.add(KV.of(k, (long) values.size())));

    PAssert.that(
            p.apply(Create.of(input))
                .apply(ApproximateDistinct.<String, Integer>perKey().withLgK(11)))
        .containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void countsEachFixedWindowSeparately(TestPipeline p) {
    // Window [0, 1 min) sees users 0..29, window [1 min, 2 min) users 20..69: 20 users are in
    // both, and a count over both windows would be 70.
    List<TimestampedValue<String>> input = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      input.add(TimestampedValue.of("u" + i, new Instant(i * 1_000L)));
      input.add(TimestampedValue.of("u" + i, new Instant(i * 1_500L))); // a repeat, same window
    }
    for (int i = 20; i < 70; i++) {
      input.add(TimestampedValue.of("u" + i, new Instant(60_000L + i * 500L)));
    }
    PCollection<Long> counts =
        p.apply(Create.timestamped(input))
            .apply(Window.into(FixedWindows.of(MINUTE)))
            .apply(ApproximateDistinct.globally());

    PAssert.that(counts).inWindow(window(0, MINUTE)).containsInAnyOrder(30L);
    PAssert.that(counts).inWindow(window(60_000, MINUTE)).containsInAnyOrder(50L);
    p.run().waitUntilFinish();
  }

  @Test
  void countsPerKeyAndWindowFromAnEventTimeStreamArrivingOutOfOrder(TestPipeline p) {
    // Elements arrive out of order but always before the watermark closes their window.
    TestStream<KV<String, String>> stream =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .addElements(
                at("home", "ann", 50),
                at("home", "bob", 10),
                at("cart", "ann", 30),
                at("home", "ann", 70),
                at("home", "cid", 65))
            .advanceWatermarkTo(new Instant(40_000))
            .addElements(
                at("home", "bob", 55),
                at("home", "dan", 20),
                at("cart", "ann", 100),
                at("cart", "bob", 110),
                at("home", "ann", 119))
            .advanceWatermarkTo(new Instant(65_000)) // closes [0, 60 s)
            .addElements(at("cart", "cid", 61), at("home", "eve", 121), at("cart", "bob", 90))
            .advanceWatermarkToInfinity();

    PCollection<KV<String, Long>> counts =
        p.apply(stream)
            .apply(Window.into(FixedWindows.of(MINUTE)))
            .apply(ApproximateDistinct.<String, String>perKey());

    // Exact, by hand: [0, 60 s): home {ann, bob, dan}, cart {ann};
    // [60 s, 120 s): home {ann, cid}, cart {ann, bob, cid}; [120 s, 180 s): home {eve}.
    PAssert.that(counts)
        .inWindow(window(0, MINUTE))
        .containsInAnyOrder(KV.of("home", 3L), KV.of("cart", 1L));
    PAssert.that(counts)
        .inWindow(window(60_000, MINUTE))
        .containsInAnyOrder(KV.of("home", 2L), KV.of("cart", 3L));
    PAssert.that(counts).inWindow(window(120_000, MINUTE)).containsInAnyOrder(KV.of("home", 1L));
    p.run().waitUntilFinish();
  }

  @Test
  void anEmptyCollectionCountsZeroInTheGlobalWindowAndNothingInOthers(TestPipeline p) {
    PCollection<String> none = p.apply(Create.empty(StringUtf8Coder.of()));
    PAssert.thatSingleton(none.apply("InGlobalWindow", ApproximateDistinct.globally()))
        .isEqualTo(0L);
    PAssert.that(
            none.apply(Window.into(FixedWindows.of(MINUTE)))
                .apply("InFixedWindows", ApproximateDistinct.globally()))
        .empty();
    p.run().waitUntilFinish();
  }

  @Test
  void hourlySketchesMergeIntoDailyUniquesWithoutCountingRepeatVisitorsTwice(TestPipeline p) {
    // Two days of visits. In hour h of day d, page "home" sees users d*1000 + h*50 + [0, 100),
    // so consecutive hours share 50 users; page "cart" sees d*1000 + h*50 + [0, 20), no overlap.
    List<TimestampedValue<KV<String, Long>>> visits = new ArrayList<>();
    Map<String, Set<Long>> exactPerPageAndDay = new HashMap<>();
    Map<Integer, Set<Long>> exactPerDay = new HashMap<>();
    for (int day = 0; day < 2; day++) {
      for (int hour = 0; hour < 24; hour++) {
        for (int i = 0; i < 100; i++) {
          long user = day * 1_000L + hour * 50L + i;
          Instant at = new Instant(day * DAY.getMillis() + hour * HOUR.getMillis() + i * 1_000L);
          visits.add(TimestampedValue.of(KV.of("home", user), at));
          exactPerPageAndDay.computeIfAbsent("home@" + day, k -> new HashSet<>()).add(user);
          exactPerDay.computeIfAbsent(day, k -> new HashSet<>()).add(user);
          if (i < 20) {
            visits.add(TimestampedValue.of(KV.of("cart", user), at));
            exactPerPageAndDay.computeIfAbsent("cart@" + day, k -> new HashSet<>()).add(user);
          }
        }
      }
    }
    PCollection<KV<String, Long>> hourly =
        p.apply(Create.timestamped(visits)).apply("Hourly", Window.into(FixedWindows.of(HOUR)));

    PCollection<KV<String, Long>> dailyPerPage =
        hourly
            .apply(
                "SketchPagePerHour", ApproximateDistinct.<String, Long>sketchPerKey().withLgK(14))
            .apply("DailyPerPage", Window.into(FixedWindows.of(DAY)))
            .apply("MergePagePerDay", MergeSketches.perKey())
            .apply("EstimatePerPage", ParDo.of(new RoundPerKeyFn()));
    PCollection<Long> daily =
        hourly
            .apply("Users", ParDo.of(new ValueFn()))
            .apply("SketchPerHour", ApproximateDistinct.<Long>sketchGlobally().withLgK(14))
            .apply("Daily", Window.into(FixedWindows.of(DAY)))
            .apply("MergePerDay", MergeSketches.globally())
            .apply("Estimate", ParDo.of(new RoundFn()));

    for (int day = 0; day < 2; day++) {
      IntervalWindow window = window(day * DAY.getMillis(), DAY);
      PAssert.that(dailyPerPage)
          .inWindow(window)
          .containsInAnyOrder(
              KV.of("home", (long) exactPerPageAndDay.get("home@" + day).size()),
              KV.of("cart", (long) exactPerPageAndDay.get("cart@" + day).size()));
      PAssert.that(daily).inWindow(window).containsInAnyOrder((long) exactPerDay.get(day).size());
    }
    p.run().waitUntilFinish();
  }

  private static TimestampedValue<KV<String, String>> at(String key, String value, long seconds) {
    return TimestampedValue.of(KV.of(key, value), new Instant(seconds * 1_000L));
  }

  private static IntervalWindow window(long startMillis, Duration size) {
    return new IntervalWindow(new Instant(startMillis), size);
  }

  static final class ValueFn extends DoFn<KV<String, Long>, Long> {
    @ProcessElement
    public void process(@Element KV<String, Long> visit, OutputReceiver<Long> out) {
      if (visit.getKey().equals("home")) { // every user visits home; cart would repeat them
        out.output(visit.getValue());
      }
    }
  }

  static final class RoundFn extends DoFn<DistinctSketch, Long> {
    @ProcessElement
    public void process(@Element DistinctSketch sketch, OutputReceiver<Long> out) {
      out.output(Math.round(sketch.estimate()));
    }
  }

  static final class RoundPerKeyFn extends DoFn<KV<String, DistinctSketch>, KV<String, Long>> {
    @ProcessElement
    public void process(
        @Element KV<String, DistinctSketch> sketch, OutputReceiver<KV<String, Long>> out) {
      out.output(KV.of(sketch.getKey(), Math.round(sketch.getValue().estimate())));
    }
  }
}
