package dev.sluice.transforms.partition;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableComparator;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class RangePartitionTest {
  private static KV<Long, String> order(long amount) {
    return KV.of(amount, "order of " + amount);
  }

  @Test
  void explicitSplitPointsPutEachKeyInItsRangeAndAKeyEqualToASplitPointAbove(TestPipeline p) {
    PCollection<KV<Long, String>> orders =
        p.apply(
            Create.of(
                order(-5),
                order(0),
                order(9),
                order(10),
                order(11),
                order(99),
                order(100),
                order(1000)));
    PCollectionList<KV<Long, String>> bySize =
        orders.apply("BySize", RangePartition.of(List.of(10L, 100L)).split());
    PCollection<PartitionStats> stats =
        orders
            .apply("Tag", RangePartition.of(List.of(10L, 100L)).assign())
            .apply("Load", PartitionStats.globally(3));

    PAssert.that("below 10", bySize.get(0))
        .containsInAnyOrder(List.of(order(-5), order(0), order(9)));
    PAssert.that("[10, 100)", bySize.get(1))
        .containsInAnyOrder(List.of(order(10), order(11), order(99)));
    PAssert.that("from 100", bySize.get(2)).containsInAnyOrder(List.of(order(100), order(1000)));
    PAssert.thatSingleton(stats).isEqualTo(PartitionStats.fromCounts(3, 3, 2));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(PartitionMetrics.counts(result, "BySize", 3), equalTo(new long[] {3, 3, 2}));
  }

  @Test
  void aGivenOrderReplacesTheNaturalOne(TestPipeline p) {
    SerializableComparator<String> descending = (a, b) -> b.compareTo(a);
    PCollection<KV<String, Integer>> words =
        p.apply(
            Create.of(KV.of("z", 1), KV.of("m", 2), KV.of("g", 3), KV.of("f", 4), KV.of("a", 5)));
    // In descending order z < m < g < f < a: "z" is below both split points, "m" and "g" in
    // [m, f), "f" and "a" at or above f.
    PCollection<KV<Integer, KV<String, Integer>>> tagged =
        words.apply(RangePartition.of(List.of("m", "f"), descending).assign());
    PAssert.that(tagged)
        .containsInAnyOrder(
            List.of(
                KV.of(0, KV.of("z", 1)),
                KV.of(1, KV.of("m", 2)),
                KV.of(1, KV.of("g", 3)),
                KV.of(2, KV.of("f", 4)),
                KV.of(2, KV.of("a", 5))));
    p.run().waitUntilFinish();
  }

  @Test
  void splitPointsFromQuantilesGiveOrderedRangesOfAboutEqualSizeOnSkewedKeys(TestPipeline p) {
    // Keys i*i for i < 1000: equal-width ranges would be very uneven (half the keys lie below a
    // quarter of the maximum), quantile ranges must not be.
    List<KV<Long, Long>> squares = new ArrayList<>();
    for (long i = 0; i < 1000; i++) {
      squares.add(KV.of(i * i, i));
    }
    Collections.shuffle(squares, new Random(3));
    PCollection<KV<Integer, KV<Long, Long>>> tagged =
        p.apply(Create.of(squares)).apply(RangePartition.<Long>fromQuantiles(4).assign());

    PAssert.that(tagged)
        .satisfies(
            assigned -> {
              long[] counts = new long[4];
              long[] min = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
              long[] max = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
              for (KV<Integer, KV<Long, Long>> kv : assigned) {
                int partition = kv.getKey();
                long key = kv.getValue().getKey();
                counts[partition]++;
                min[partition] = Math.min(min[partition], key);
                max[partition] = Math.max(max[partition], key);
              }
              for (int i = 0; i < 4; i++) {
                // epsilon = 0.01: each split point within 10 ranks of exact, so 250 +- 20.
                assertThat(
                    "partition " + i,
                    counts[i],
                    both(greaterThanOrEqualTo(230L)).and(lessThanOrEqualTo(270L)));
                if (i > 0) {
                  assertThat("ranges are ordered", max[i - 1], lessThan(min[i]));
                }
              }
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void aKeyHeavierThanOneRangeStaysWholeAndLeavesThePartitionsBetweenEqualSplitPointsEmpty(
      TestPipeline p) {
    // Keys 0..399 once each and key 200 600 more times: in sorted order ranks 200..800 are all
    // 200, so the quartiles (ranks 250, 500, 750, give or take 10) are 200, 200, 200. Keys below
    // 200 go to partition 0, keys from 200 up to partition 3; partitions 1 and 2 stay empty.
    List<KV<Integer, Integer>> input = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      input.add(KV.of(i, i));
    }
    for (int i = 0; i < 600; i++) {
      input.add(KV.of(200, -i));
    }
    Collections.shuffle(input, new Random(5));
    PCollection<PartitionStats> stats =
        p.apply(Create.of(input))
            .apply(RangePartition.<Integer>fromQuantiles(4).assign())
            .apply(PartitionStats.globally(4));
    PAssert.thatSingleton(stats).isEqualTo(PartitionStats.fromCounts(200, 0, 0, 800));
    p.run().waitUntilFinish();
  }

  @Test
  void quantilesAreComputedPerWindow(TestPipeline p) {
    // Window [0, 1min) holds keys 0..399, window [1min, 2min) keys 1000..1399: one set of split
    // points for both would put the second window wholly into the last partition.
    List<TimestampedValue<KV<Long, String>>> input = new ArrayList<>();
    for (long i = 0; i < 400; i++) {
      input.add(TimestampedValue.of(KV.of(i, "early"), new Instant(i * 100)));
      input.add(TimestampedValue.of(KV.of(1000 + i, "late"), new Instant(60_000 + i * 100)));
    }
    PCollection<String> tagged =
        p.apply(Create.timestamped(input))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply(RangePartition.<Long>fromQuantiles(2).assign())
            .apply(ParDo.of(new WindowAndPartitionFn()));
    PAssert.that(tagged)
        .satisfies(
            labels -> {
              Map<String, Integer> counts = new HashMap<>();
              for (String label : labels) {
                counts.merge(label, 1, Integer::sum);
              }
              for (String label : List.of("0:0", "0:1", "60000:0", "60000:1")) {
                // epsilon = 0.01 over 400 keys: 200 +- 8.
                assertThat(
                    label,
                    counts.getOrDefault(label, 0),
                    both(greaterThanOrEqualTo(192)).and(lessThanOrEqualTo(208)));
              }
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void refusesSplitPointsThatAreNotStrictlyIncreasingNamingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RangePartition.of(List.of(1L, 5L, 5L)));
    assertThat(
        e.getMessage(),
        equalTo(
            "splitPoints must be strictly increasing, but splitPoints[1] = 5 is not below"
                + " splitPoints[2] = 5"));
    IllegalArgumentException eps =
        assertThrows(
            IllegalArgumentException.class,
            () -> RangePartition.<Long>fromQuantiles(4).withEpsilon(0));
    assertThat(eps.getMessage(), equalTo("epsilon must be in (0, 0.5], was 0.0"));
    IllegalArgumentException k =
        assertThrows(IllegalArgumentException.class, () -> RangePartition.<Long>fromQuantiles(0));
    assertThat(k.getMessage(), equalTo("numPartitions must be in [1, 10000], was 0"));
  }

  /** "windowStartMillis:partition" for each element. */
  static final class WindowAndPartitionFn extends DoFn<KV<Integer, KV<Long, String>>, String> {
    @ProcessElement
    public void process(
        @Element KV<Integer, KV<Long, String>> tagged,
        BoundedWindow window,
        OutputReceiver<String> out) {
      out.output(((IntervalWindow) window).start().getMillis() + ":" + tagged.getKey());
    }
  }
}
