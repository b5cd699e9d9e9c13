package dev.sluice.transforms.window;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
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
class SlicedSlidingCombineTest {
  private static final Duration SIZE = Duration.standardMinutes(10);
  private static final Duration PERIOD = Duration.standardMinutes(2);

  /** Random keyed values over an hour, each at its own millisecond. */
  private static List<TimestampedValue<KV<String, Long>>> values(long seed, int n) {
    Random random = new Random(seed);
    List<TimestampedValue<KV<String, Long>>> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(
          TimestampedValue.of(
              KV.of("k" + random.nextInt(5), (long) random.nextInt(1000)),
              new Instant(random.nextInt(3_600_000))));
    }
    return values;
  }

  /**
   * Each result as "key window-start window-end pane first-and-last value", with its timestamp
   * checked; the pane as the output contract labels it (Flink in batch says UNKNOWN for ON_TIME).
   */
  private static PCollection<String> describe(PCollection<KV<String, Long>> results) {
    return results.apply(
        "Describe",
        ParDo.of(
            new DoFn<KV<String, Long>, String>() {
              @ProcessElement
              public void process(
                  @Element KV<String, Long> kv,
                  @Timestamp Instant timestamp,
                  IntervalWindow window,
                  PaneInfo pane,
                  OutputReceiver<String> out) {
                if (!timestamp.equals(window.maxTimestamp())) {
                  throw new IllegalStateException("timestamp " + timestamp + " in " + window);
                }
                out.output(
                    kv.getKey()
                        + " "
                        + window.start().getMillis()
                        + " "
                        + window.end().getMillis()
                        + " "
                        + PaneLabel.of(pane)
                        + " "
                        + pane.isFirst()
                        + pane.isLast()
                        + " "
                        + kv.getValue());
              }
            }));
  }

  /** The expected "key start end ON_TIME truetrue value" lines, summed or maxed by hand. */
  private static List<String> expected(
      List<TimestampedValue<KV<String, Long>>> values, boolean max) {
    java.util.Map<String, Long> byWindow = new java.util.TreeMap<>();
    for (TimestampedValue<KV<String, Long>> v : values) {
      long t = v.getTimestamp().getMillis();
      long last = t - Math.floorMod(t, PERIOD.getMillis());
      for (long start = last; start > t - SIZE.getMillis(); start -= PERIOD.getMillis()) {
        String window = v.getValue().getKey() + " " + start + " " + (start + SIZE.getMillis());
        long value = v.getValue().getValue();
        byWindow.merge(window, value, max ? Math::max : Long::sum);
      }
    }
    List<String> lines = new ArrayList<>();
    byWindow.forEach((window, value) -> lines.add(window + " ON_TIME truetrue " + value));
    return lines;
  }

  @Test
  void sumsEqualAWindowByWindowSumAndComeInOneOnTimePaneAtTheWindowEnd(TestPipeline p) {
    List<TimestampedValue<KV<String, Long>>> values = values(1, 3_000);
    PCollection<KV<String, Long>> input =
        p.apply(
            Create.timestamped(values)
                .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));

    PAssert.that(describe(input.apply(SlicedSlidingCombine.perKey(Sum.ofLongs(), SIZE, PERIOD))))
        .containsInAnyOrder(expected(values, false));
    p.run().waitUntilFinish();
  }

  @Test
  void anyCombineFnWorksMaxToo(TestPipeline p) {
    List<TimestampedValue<KV<String, Long>>> values = values(2, 2_000);
    PCollection<KV<String, Long>> input =
        p.apply(
            Create.timestamped(values)
                .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));

    PAssert.that(describe(input.apply(SlicedSlidingCombine.perKey(Max.ofLongs(), SIZE, PERIOD))))
        .containsInAnyOrder(expected(values, true));
    p.run().waitUntilFinish();
  }

  @Test
  void aBatchIgnoresTheTriggerAndGivesOneOnTimePanePerWindow(TestPipeline p) {
    List<TimestampedValue<KV<String, Long>>> values = values(3, 1_000);
    PCollection<KV<String, Long>> input =
        p.apply(
            Create.timestamped(values)
                .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    WindowSpec spec =
        WindowSpec.sliding(SIZE, PERIOD).withTrigger("--trigger", "early=1,accumulating");

    PAssert.that(describe(input.apply(SlicedSlidingCombine.perKey(Sum.ofLongs(), spec))))
        .containsInAnyOrder(expected(values, false));
    p.run().waitUntilFinish();
  }

  /**
   * A stream with early panes: the plain form, whose on-time panes hold the windows' sums. Direct
   * only: how many early panes fire by count depends on the runner's bundles.
   */
  @Test
  @Tag("direct-only")
  void aStreamWithEarlyPanesGetsThemAndTheOnTimePaneHoldsTheSum(TestPipeline p) {
    List<TimestampedValue<KV<String, Long>>> values = values(4, 40);
    TestStream.Builder<KV<String, Long>> stream =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    for (TimestampedValue<KV<String, Long>> v : values) {
      stream = stream.addElements(v);
    }
    WindowSpec spec =
        WindowSpec.sliding(SIZE, PERIOD).withTrigger("--trigger", "early=1,accumulating");
    SlicedSlidingCombine<String, Long, long[], Long> sum =
        SlicedSlidingCombine.perKey(Sum.ofLongs(), spec);
    assertFalse(sum.isSliced());

    PCollection<String> described =
        describe(p.apply(stream.advanceWatermarkToInfinity()).apply(sum));
    PCollection<String> onTime =
        described.apply("OnTimeOnly", Filter.by((String line) -> line.contains(" ON_TIME ")));
    List<String> expected = new ArrayList<>();
    for (String line : expected(values, false)) {
      expected.add(line.replace(" ON_TIME truetrue ", " ON_TIME falsetrue "));
    }
    PAssert.that(onTime).containsInAnyOrder(expected);
    PAssert.that(described.apply("EarlyOnly", Filter.by((String line) -> line.contains(" EARLY "))))
        .satisfies(
            early -> {
              assertTrue(early.iterator().hasNext(), "early panes fired");
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void aSizeThatIsNoMultipleOfThePeriodFallsBackToThePlainForm() {
    assertTrue(SlicedSlidingCombine.perKey(Sum.ofLongs(), SIZE, PERIOD).isSliced());
    assertFalse(
        SlicedSlidingCombine.perKey(Sum.ofLongs(), Duration.standardMinutes(5), PERIOD).isSliced());
  }

  @Test
  void refusesAPeriodLongerThanTheSize() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SlicedSlidingCombine.perKey(Sum.ofLongs(), PERIOD, SIZE));
    assertTrue(e.getMessage().contains("0 < period <= size"), e.getMessage());
  }
}
