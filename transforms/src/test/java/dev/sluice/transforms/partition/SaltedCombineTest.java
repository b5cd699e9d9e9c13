package dev.sluice.transforms.partition;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Sessions;
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
  private static final int KEYS = 1_000;
  private static final double EXPONENT = 1.2;
  private static final int ELEMENTS = 50_000;
  private static final int PARTITIONS = 8;
  private static final int FANOUT = 128;

  /**
   * Zipf-distributed keys by construction: key of rank r appears floor(N r^-s / H) times, the few
   * elements left over go one each to the top ranks; then shuffled with a fixed seed. Values are
   * the element's position, so every key's sum and top values are distinct and checkable.
   */
  static List<KV<String, Long>> zipf(int keys, double exponent, int elements) {
    double[] weights = new double[keys];
    double total = 0;
    for (int r = 1; r <= keys; r++) {
      weights[r - 1] = Math.pow(r, -exponent);
      total += weights[r - 1];
    }
    int[] counts = new int[keys];
    int assigned = 0;
    for (int r = 0; r < keys; r++) {
      counts[r] = (int) Math.floor(elements * weights[r] / total);
      assigned += counts[r];
    }
    for (int r = 0; assigned < elements; r++, assigned++) {
      counts[r]++;
    }
    List<String> keyOfElement = new ArrayList<>(elements);
    for (int r = 0; r < keys; r++) {
      for (int i = 0; i < counts[r]; i++) {
        keyOfElement.add(String.format("key-%04d", r + 1));
      }
    }
    Collections.shuffle(keyOfElement, new Random(42));
    List<KV<String, Long>> data = new ArrayList<>(elements);
    for (int i = 0; i < elements; i++) {
      data.add(KV.of(keyOfElement.get(i), (long) i));
    }
    return data;
  }

  /** The Zipf data of the skew test, built once per JVM. */
  static final class ZipfData {
    static final List<KV<String, Long>> ELEMENTS = zipf(KEYS, EXPONENT, SaltedCombineTest.ELEMENTS);

    private ZipfData() {}
  }

  /** The element at a position of the Zipf data (the same on every worker: it is rebuilt). */
  static final class ZipfElementFn extends SimpleFunction<Long, KV<String, Long>> {
    @Override
    public KV<String, Long> apply(Long position) {
      return ZipfData.ELEMENTS.get(Math.toIntExact(position));
    }
  }

  @Test
  void saltingHalvesTheLargestPartitionsLoadOnZipfKeysWhileTheSumsStayExact(TestPipeline p) {
    List<KV<String, Long>> data = ZipfData.ELEMENTS;

    // The plain-Java reference: each key's sum and count, and the hash partition load by key.
    Map<String, Long> sums = new TreeMap<>();
    Map<String, Long> counts = new TreeMap<>();
    long[] unsaltedLoad = new long[PARTITIONS];
    for (KV<String, Long> kv : data) {
      sums.merge(kv.getKey(), kv.getValue(), Long::sum);
      counts.merge(kv.getKey(), 1L, Long::sum);
      unsaltedLoad[ReferenceHash.partition(ReferenceHash.utf8(kv.getKey()), PARTITIONS)]++;
    }
    PartitionStats before = PartitionStats.fromCounts(unsaltedLoad);
    long hottest = counts.get("key-0001");
    System.out.printf(
        "Zipf s=%.1f, %d keys, %d elements, %d partitions; hottest key %d elements (%.1f %%)%n",
        EXPONENT, KEYS, ELEMENTS, PARTITIONS, hottest, 100.0 * hottest / ELEMENTS);
    System.out.println("load by grouping key, unsalted: " + before);
    // By construction the partition holding the hottest key carries at least its elements.
    assertThat(before.max(), greaterThanOrEqualTo(hottest));

    // Generated in the pipeline rather than embedded in it: 50 000 elements in the job graph
    // would make it slow to build and to ship to Flink and Spark.
    PCollection<KV<String, Long>> input =
        p.apply("Positions", GenerateSequence.from(0).to(ELEMENTS))
            .apply("ZipfElements", MapElements.via(new ZipfElementFn()));
    PCollection<PartitionStats> unsalted =
        input
            .apply("AssignUnsalted", HashPartition.of(PARTITIONS).assign())
            .apply("LoadUnsalted", PartitionStats.globally(PARTITIONS));
    PCollection<PartitionStats> salted =
        input
            .apply("Salt", SaltedCombine.saltKeys(FANOUT))
            .apply("AssignSalted", HashPartition.of(PARTITIONS).assign())
            .apply("LoadSalted", PartitionStats.globally(PARTITIONS));
    PCollection<KV<String, Long>> saltedSums =
        input.apply(
            "SaltedSum",
            SaltedCombine.<String, Long, Long>perKey(Sum.ofLongs()).withFanout(FANOUT));

    PAssert.thatSingleton("unsalted load", unsalted).isEqualTo(before);
    PAssert.thatSingleton("salted load", salted)
        .satisfies(
            after -> {
              System.out.println("load by grouping key, salted " + FANOUT + " ways: " + after);
              System.out.printf(
                  Locale.ROOT,
                  "skew max/mean: %.3f unsalted, %.3f salted (%.2fx lower)%n",
                  before.skew(),
                  after.skew(),
                  before.skew() / after.skew());
              assertThat(after.total(), equalTo((long) ELEMENTS));
              assertThat(after.skew(), lessThanOrEqualTo(before.skew() / 2));
              return null;
            });
    PAssert.thatMap("salted sums", saltedSums).isEqualTo(sums);
    p.run().waitUntilFinish();
  }

  @Test
  void saltKeysKeepsAColdKeyOnItsBaseSaltAndSpreadsAHotKeyOverAllSalts(TestPipeline p) {
    int fanout = 8;
    List<KV<String, Long>> data = new ArrayList<>();
    for (int i = 0; i < 1600; i++) {
      data.add(KV.of("hot", (long) i));
    }
    List<String> coldKeys = new ArrayList<>();
    for (int c = 0; c < 50; c++) {
      coldKeys.add("cold-" + c);
      for (int i = 0; i <= c % 16; i++) {
        data.add(KV.of("cold-" + c, (long) i));
      }
    }
    Collections.shuffle(data, new Random(11));
    PCollection<KV<String, Integer>> subKeys =
        p.apply(Create.of(data)).apply(SaltedCombine.saltKeys(fanout)).apply(Keys.create());
    PAssert.that(subKeys)
        .satisfies(
            keys -> {
              Map<Integer, Integer> hotPerSalt = new TreeMap<>();
              Map<String, Set<Integer>> coldSalts = new TreeMap<>();
              for (KV<String, Integer> key : keys) {
                if (key.getKey().equals("hot")) {
                  hotPerSalt.merge(key.getValue(), 1, Integer::sum);
                } else {
                  coldSalts.computeIfAbsent(key.getKey(), k -> new TreeSet<>()).add(key.getValue());
                }
              }
              // At most 16 elements each: one salt, the key's own hash modulo the fanout.
              for (String cold : coldKeys) {
                int base = ReferenceHash.partition(ReferenceHash.utf8(cold), fanout);
                assertThat(cold, coldSalts.get(cold), equalTo(Set.of(base)));
              }
              // 1600 elements in runs of 16 over 8 salts: 200 each, give or take one run of 16
              // per worker that salted some of them.
              assertThat(hotPerSalt.keySet(), equalTo(Set.of(0, 1, 2, 3, 4, 5, 6, 7)));
              for (int count : hotPerSalt.values()) {
                assertThat(count, both(greaterThanOrEqualTo(100)).and(lessThanOrEqualTo(300)));
              }
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void sessionsSplitOverSubKeysAreMergedAgainAndMatchThePlainReference(TestPipeline p) {
    // "hot" has 100 elements in two sessions (gap 10 min), enough to be spread over sub-keys, each
    // of which sees only part of a session; "cold" has 5 elements in one session.
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
  // firings depend on bundling elsewhere (FINDINGS.md): this pane-by-pane test is Direct-only.
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
  void refusesAFanoutOutOfRangeAndANonDeterministicKeyCoder() {
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
  }
}
