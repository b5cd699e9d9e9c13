package dev.sluice.transforms.partition;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
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
class SaltedCombineTest {
  @Test
  void saltKeysOnlyAddsASaltInRangeAndSpreadsAHotKeyOverEverySalt(TestPipeline p) {
    int fanout = 8;
    List<KV<String, Long>> data = new ArrayList<>();
    for (long i = 0; i < 1600; i++) {
      data.add(KV.of("hot", i));
    }
    for (int c = 0; c < 50; c++) {
      for (long i = 0; i <= c % 16; i++) {
        data.add(KV.of("cold-" + c, i));
      }
    }
    Collections.shuffle(data, new Random(11));
    PCollection<KV<KV<String, Integer>, Long>> salted =
        p.apply(Create.of(data)).apply(SaltedCombine.saltKeys(fanout));
    PAssert.that(salted)
        .satisfies(
            elements -> {
              List<KV<String, Long>> unsalted = new ArrayList<>();
              Set<Integer> hotSalts = new TreeSet<>();
              for (KV<KV<String, Integer>, Long> e : elements) {
                int salt = e.getKey().getValue();
                assertThat(salt, both(greaterThanOrEqualTo(0)).and(lessThan(fanout)));
                unsalted.add(KV.of(e.getKey().getKey(), e.getValue()));
                if (e.getKey().getKey().equals("hot")) {
                  hotSalts.add(salt);
                }
              }
              assertThat(unsalted, containsInAnyOrder(data.toArray()));
              assertThat(hotSalts, equalTo(Set.of(0, 1, 2, 3, 4, 5, 6, 7)));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void sessionsSplitOverSubKeysAreMergedAgainAndMatchThePlainReference(TestPipeline p) {
    // "hot" has 100 elements in two sessions (gap 10 min), enough to be spread over sub-keys, each
    // of which sees only part of a session; "cold" has 5 elements in one session. A sub-key's
    // session that fired before an overlapping one arrived would show up as a separate line.
    Duration gap = Duration.standardMinutes(10);
    List<TimestampedValue<KV<String, Long>>> events = new ArrayList<>();
    for (long i = 0; i < 60; i++) {
      events.add(TimestampedValue.of(KV.of("hot", i), new Instant(i * 10_000)));
    }
    for (long i = 0; i < 40; i++) {
      events.add(TimestampedValue.of(KV.of("hot", 100 + i), new Instant(3_600_000 + i * 10_000)));
    }
    for (long i = 0; i < 5; i++) {
      events.add(TimestampedValue.of(KV.of("cold", 1000 + i), new Instant(i * 60_000)));
    }
    Collections.shuffle(events, new Random(13));

    // Reference sessions: sort by time, start a new session where an element is a gap or more
    // after the previous one; the session ends a gap after its last element.
    List<String> expected = new ArrayList<>();
    for (String key : List.of("hot", "cold")) {
      List<TimestampedValue<KV<String, Long>>> ofKey = new ArrayList<>();
      for (TimestampedValue<KV<String, Long>> e : events) {
        if (e.getValue().getKey().equals(key)) {
          ofKey.add(e);
        }
      }
      ofKey.sort((a, b) -> a.getTimestamp().compareTo(b.getTimestamp()));
      long start = ofKey.get(0).getTimestamp().getMillis();
      long last = start;
      List<Long> values = new ArrayList<>();
      for (TimestampedValue<KV<String, Long>> e : ofKey) {
        long t = e.getTimestamp().getMillis();
        if (t - last >= gap.getMillis()) {
          expected.addAll(sessionLines(key, start, last + gap.getMillis(), values));
          start = t;
          values = new ArrayList<>();
        }
        last = t;
        values.add(e.getValue().getValue());
      }
      expected.addAll(sessionLines(key, start, last + gap.getMillis(), values));
    }

    PCollection<KV<String, Long>> windowed =
        p.apply(Create.timestamped(events)).apply(Window.into(Sessions.withGapDuration(gap)));
    PCollection<KV<String, Long>> sums =
        windowed.apply(
            "SaltedSum", SaltedCombine.<String, Long, Long>perKey(Sum.ofLongs()).withFanout(4));
    PCollection<KV<String, List<Long>>> top3 =
        windowed.apply(
            "SaltedTop3",
            SaltedCombine.<String, Long, List<Long>>perKey(Top.largestLongsFn(3)).withFanout(4));
    PCollection<String> results =
        PCollectionList.of(sums.apply("FormatSums", ParDo.of(new FormatFn<Long>("sum"))))
            .and(top3.apply("FormatTop3", ParDo.of(new FormatFn<List<Long>>("top3"))))
            .apply(Flatten.pCollections());
    PAssert.that(results).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  /** The two result lines of one session, as {@link FormatFn} writes them. */
  private static List<String> sessionLines(String key, long start, long end, List<Long> values) {
    long sum = 0;
    for (long v : values) {
      sum += v;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Collections.reverseOrder());
    String window = key + " [" + start + ", " + end + ") ";
    return List.of(
        window + "sum=" + sum, window + "top3=" + sorted.subList(0, Math.min(3, sorted.size())));
  }

  /** "key [windowStart, windowEnd) label=value". */
  static final class FormatFn<T> extends DoFn<KV<String, T>, String> {
    private final String label;

    FormatFn(String label) {
      this.label = label;
    }

    @ProcessElement
    public void process(
        @Element KV<String, T> result, BoundedWindow window, OutputReceiver<String> out) {
      IntervalWindow w = (IntervalWindow) window;
      out.output(
          result.getKey()
              + " ["
              + w.start().getMillis()
              + ", "
              + w.end().getMillis()
              + ") "
              + label
              + "="
              + result.getValue());
    }
  }

  // Processing order in a TestStream is fixed only on the DirectRunner, and element-count early
  // firings depend on bundling elsewhere: this pane-by-pane test is Direct-only.
  @Test
  @Tag("direct-only")
  void earlyFiringsInAccumulatingModeAreNotCountedTwice(TestPipeline p) {
    TestStream.Builder<KV<String, Long>> stream =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .advanceWatermarkTo(new Instant(0));
    long total = 0;
    for (long value = 0; value < 100; value++) {
      // One element per step: stage one fires an early pane for each.
      stream =
          stream.addElements(
              TimestampedValue.of(KV.of("k", value), new Instant(500 * (value % 100))));
      total += value;
    }
    PCollection<KV<String, Long>> sums =
        p.apply(stream.advanceWatermarkToInfinity())
            .apply(
                Window.<KV<String, Long>>into(FixedWindows.of(Duration.standardMinutes(1)))
                    .triggering(
                        AfterWatermark.pastEndOfWindow()
                            .withEarlyFirings(AfterPane.elementCountAtLeast(1)))
                    .withAllowedLateness(Duration.ZERO)
                    .accumulatingFiredPanes())
            .apply(SaltedCombine.<String, Long, Long>perKey(Sum.ofLongs()).withFanout(4));
    PAssert.that(sums)
        .inOnTimePane(new IntervalWindow(new Instant(0), Duration.standardMinutes(1)))
        .containsInAnyOrder(List.of(KV.of("k", total)));
    p.run().waitUntilFinish();
  }

  @Test
  void refusesAFanoutOutOfRangeANonDeterministicKeyCoderAndLatestTimestampsInSessions() {
    IllegalArgumentException fanout =
        assertThrows(
            IllegalArgumentException.class,
            () -> SaltedCombine.perKey(Sum.ofLongs()).withFanout(0));
    assertThat(fanout.getMessage(), equalTo("fanout must be in [1, 10000], was 0"));

    Pipeline p = Pipeline.create();
    PCollection<KV<Double, Long>> byDouble =
        p.apply(
            Create.of(KV.of(0.5, 1L)).withCoder(KvCoder.of(DoubleCoder.of(), VarLongCoder.of())));
    IllegalArgumentException coder =
        assertThrows(
            IllegalArgumentException.class,
            () -> byDouble.apply(SaltedCombine.perKey(Sum.ofLongs())));
    assertThat(coder.getMessage(), containsString("SaltedCombine needs a deterministic key coder"));

    PCollection<KV<String, Long>> latestInSessions =
        p.apply("Sessions", Create.of(KV.of("k", 1L)))
            .apply(
                Window.<KV<String, Long>>into(Sessions.withGapDuration(Duration.standardMinutes(1)))
                    .withTimestampCombiner(TimestampCombiner.LATEST));
    IllegalArgumentException latest =
        assertThrows(
            IllegalArgumentException.class,
            () -> latestInSessions.apply(SaltedCombine.<String, Long, Long>perKey(Sum.ofLongs())));
    assertThat(
        latest.getMessage(),
        containsString("cannot keep the LATEST timestamp combiner with merging windows"));
  }
}
