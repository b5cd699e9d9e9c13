package dev.sluice.transforms.partition;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
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

@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class PartitionStatsTest {
  @Test
  void figuresFollowFromTheCounts() {
    PartitionStats stats = PartitionStats.fromCounts(1, 2, 3, 10);
    assertThat(stats.numPartitions(), equalTo(4));
    assertThat(stats.total(), equalTo(16L));
    assertThat(stats.max(), equalTo(10L));
    assertThat(stats.largestPartition(), equalTo(3));
    assertThat(stats.min(), equalTo(1L));
    assertThat(stats.mean(), equalTo(4.0));
    assertThat(stats.skew(), equalTo(2.5));
    assertThat(
        stats.toString(),
        equalTo(
            "PartitionStats{k=4, total=16, max=10 (partition 3), mean=4.0, skew=2.50,"
                + " counts=[1, 2, 3, 10]}"));
  }

  @Test
  void everythingInOnePartitionHasSkewKAndNothingAtAllCountsAsEven() {
    assertThat(PartitionStats.fromCounts(0, 0, 7, 0, 0).skew(), closeTo(5.0, 1e-12));
    assertThat(PartitionStats.fromCounts(0, 0, 0).skew(), equalTo(1.0));
  }

  @Test
  void countsAreCopiedSoTheResultCannotChangeAfterwards() {
    long[] counts = {4, 5};
    PartitionStats stats = PartitionStats.fromCounts(counts);
    counts[0] = 100;
    stats.counts()[1] = 100;
    assertThat(stats, equalTo(PartitionStats.fromCounts(4, 5)));
  }

  @Test
  void refusesNegativeOrNoCountsAndPartitionNumbersOutOfRange() {
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> PartitionStats.fromCounts(3, -1));
    assertThat(negative.getMessage(), equalTo("counts[1] must not be negative, was -1"));
    assertThrows(IllegalArgumentException.class, PartitionStats::fromCounts);
    PartitionStats.CountFn fn = PartitionStats.combineFn(4);
    IllegalArgumentException outside =
        assertThrows(IllegalArgumentException.class, () -> fn.addInput(fn.createAccumulator(), 4));
    assertThat(outside.getMessage(), containsString("partition 4 is outside [0, 4)"));
  }

  @Test
  void coderIsDeterministicAndRoundTrips() throws Exception {
    PartitionStats stats = PartitionStats.fromCounts(0, 1, Long.MAX_VALUE / 4, 300);
    CoderProperties.coderDeterministic(PartitionStats.Coder.of(), stats, stats);
    CoderProperties.coderDecodeEncodeEqual(PartitionStats.Coder.of(), stats);
    CoderProperties.coderDecodeEncodeEqual(PartitionStats.CountsCoder.INSTANCE, new long[] {3, 0});
  }

  @Test
  void anEmptyInputInTheGlobalWindowStillGivesOneAllZeroResult(TestPipeline p) {
    PCollection<PartitionStats> stats =
        p.apply(Create.empty(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of())))
            .apply(PartitionStats.<String>globally(3));
    PAssert.thatSingleton(stats).isEqualTo(PartitionStats.fromCounts(0, 0, 0));
    p.run().waitUntilFinish();
  }

  @Test
  void eachWindowGetsItsOwnCounts(TestPipeline p) {
    // Window [0, 1min): partitions 0, 0, 1; window [1min, 2min): partition 2 five times.
    List<TimestampedValue<KV<Integer, String>>> tagged = new ArrayList<>();
    tagged.add(TimestampedValue.of(KV.of(0, "a"), new Instant(1_000)));
    tagged.add(TimestampedValue.of(KV.of(0, "b"), new Instant(2_000)));
    tagged.add(TimestampedValue.of(KV.of(1, "c"), new Instant(59_999)));
    for (int i = 0; i < 5; i++) {
      tagged.add(TimestampedValue.of(KV.of(2, "d" + i), new Instant(60_000 + i)));
    }
    PCollection<String> stats =
        p.apply(Create.timestamped(tagged))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply(PartitionStats.globally(3))
            .apply(ParDo.of(new WithWindowStartFn()));
    PAssert.that(stats)
        .containsInAnyOrder(
            "0 " + PartitionStats.fromCounts(2, 1, 0),
            "60000 " + PartitionStats.fromCounts(0, 0, 5));
    p.run().waitUntilFinish();
  }

  static final class WithWindowStartFn extends DoFn<PartitionStats, String> {
    @ProcessElement
    public void process(
        @Element PartitionStats stats, BoundedWindow window, OutputReceiver<String> out) {
      out.output(((IntervalWindow) window).start().getMillis() + " " + stats);
    }
  }
}
