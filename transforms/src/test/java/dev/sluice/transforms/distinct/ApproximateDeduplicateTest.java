package dev.sluice.transforms.distinct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.sluice.transforms.TestMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** De-duplication with Bloom filters in pipelines: what goes through, what is dropped, and when. */
@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class ApproximateDeduplicateTest {
  private static final Duration MINUTE = Duration.standardMinutes(1);

  @Test
  void repeatsAreDroppedAndEveryDistinctElementGoesThroughExactlyOnce(TestPipeline p) {
    // 2 000 distinct values, value i sent 1 + i % 4 times: 5 000 elements, 3 000 repeats.
    List<Long> input = new ArrayList<>();
    Set<Long> distinct = new HashSet<>();
    for (long i = 0; i < 2_000; i++) {
      for (int copy = 0; copy <= i % 4; copy++) {
        input.add(i * 7_919);
      }
      distinct.add(i * 7_919);
    }
    // At a false-positive rate of 1e-9 the chance that any of the 2 000 new values is taken for
    // a repeat is below 2 000 * 1e-9: the output is the distinct set, by construction.
    PCollection<Long> firstCopies =
        p.apply(Create.of(input))
            .apply(
                ApproximateDeduplicate.<Long>values()
                    .withExpectedInsertions(2_000)
                    .withFalsePositiveRate(1e-9)
                    .withShards(4));

    PAssert.that(firstCopies).containsInAnyOrder(distinct);
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "first_seen"), equalTo((long) distinct.size()));
    assertThat(counter(run, "suppressed"), equalTo((long) (input.size() - distinct.size())));
    assertThat(counter(run, "over_capacity"), equalTo(0L));
  }

  @Test
  void repeatsInAnUnboundedStreamAreDroppedAcrossWatermarkAdvances(TestPipeline p) {
    // Runs in streaming mode on every runner; without expiry nothing is ever forgotten, so the
    // output is the set of distinct values whatever the order of processing.
    TestStream<String> stream =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("x", 1), at("y", 2), at("x", 3))
            .advanceWatermarkTo(new Instant(60_000))
            .addElements(at("y", 70), at("z", 80))
            .advanceWatermarkTo(new Instant(3_600_000))
            .addElements(at("x", 4_000), at("z", 3_700), at("w", 3_650))
            .advanceWatermarkToInfinity();
    PCollection<String> firstCopies =
        p.apply(stream)
            .apply(
                ApproximateDeduplicate.<String>values().withFalsePositiveRate(1e-9).withShards(2));

    PAssert.that(firstCopies).containsInAnyOrder("w", "x", "y", "z");
    p.run().waitUntilFinish();
  }

  @Test
  void keyedValuesLetThroughOneElementPerKeyWhicheverComesFirst(TestPipeline p) {
    List<KV<String, String>> input = new ArrayList<>();
    Map<String, Set<String>> eventsPerUser = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      KV<String, String> event = KV.of("user-" + i % 100, "event-" + i);
      input.add(event);
      eventsPerUser.computeIfAbsent(event.getKey(), k -> new HashSet<>()).add(event.getValue());
    }
    PCollection<KV<String, String>> firstPerUser =
        p.apply(Create.of(input))
            .apply(
                ApproximateDeduplicate.<String, String>keyedValues()
                    .withExpectedInsertions(100)
                    .withFalsePositiveRate(1e-9));

    PAssert.that(firstPerUser).satisfies(new OnePerKey(eventsPerUser));
    p.run().waitUntilFinish();
  }

  @Test
  void falsePositivesAmongNewElementsStayWithinTheRate(TestPipeline p) {
    // 20 000 distinct values and nothing else: every element dropped is a false positive.
    int n = 20_000;
    double rate = 0.05;
    List<Long> input = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      input.add(i);
    }
    p.apply(Create.of(input))
        .apply(
            ApproximateDeduplicate.<Long>values()
                .withExpectedInsertions(n)
                .withFalsePositiveRate(rate)
                .withShards(4));
    PipelineResult run = p.run();
    run.waitUntilFinish();

    long dropped = counter(run, "suppressed");
    double measured = dropped / (double) n;
    System.out.printf(
        "FALSE_POSITIVES pipeline n=%d shards=4 bound=%s measured=%.5f (%d dropped)%n",
        n, rate, measured, dropped);
    assertThat(counter(run, "first_seen") + dropped, equalTo((long) n));
    // A filter's rate climbs from 0 to at most the bound as it fills to capacity, so the rate
    // over the whole stream must be below the bound (it comes out at about a fifth of it).
    assertThat(measured, lessThanOrEqualTo(rate));
    assertThat(counter(run, "over_capacity"), equalTo(0L));
  }

  @Test
  void withExpiryCopiesLessThanOneExpiryApartAreRepeatsAndCopiesTwoApartAreNot(TestPipeline p) {
    // Expiry 1 min: generations [0, 60 s), [60 s, 120 s), ... An element is looked up in its own
    // generation and its two neighbours. Which copy of a pair goes through depends on the order
    // the runner processes them in; how many copies of each value go through does not:
    //   a@10, a@50: same generation, one goes through; a@140: two generations on, goes through;
    //   b@20, b@100: neighbouring generations, one; c@30, c@200: three apart, both;
    //   d@110, d@125: neighbours, one; e@132, e@179: same generation, one; f@90: alone, goes.
    // In batch (as here) the watermark stays back until the input is read, so generations are
    // dropped only at the end; that they are dropped mid-stream is the Direct-only test below.
    PCollection<String> events =
        p.apply(
            Create.timestamped(
                at("c", 200),
                at("a", 10),
                at("b", 100),
                at("e", 132),
                at("b", 20),
                at("c", 30),
                at("d", 125),
                at("a", 50),
                at("f", 90),
                at("a", 140),
                at("d", 110),
                at("e", 179)));

    PCollection<String> out =
        events
            .apply(
                ApproximateDeduplicate.<String>values()
                    .withExpiry(MINUTE)
                    .withFalsePositiveRate(1e-9)
                    .withShards(1))
            .apply(ParDo.of(new WithSecondsFn()));

    Map<String, List<List<String>>> expected = new HashMap<>();
    expected.put("a", List.of(List.of("a@10", "a@50"), List.of("a@140")));
    expected.put("b", List.of(List.of("b@20", "b@100")));
    expected.put("c", List.of(List.of("c@30"), List.of("c@200")));
    expected.put("d", List.of(List.of("d@110", "d@125")));
    expected.put("e", List.of(List.of("e@132", "e@179")));
    expected.put("f", List.of(List.of("f@90")));
    PAssert.that(out).satisfies(new OneOfEachGroup(expected));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "first_seen"), equalTo(8L));
    assertThat(counter(run, "suppressed"), equalTo(4L));
    // Generations 0 to 3 each hold something in any order (c@30, f@90, a@140, c@200); once the
    // watermark reaches infinity at the end of the input, all are dropped.
    assertThat(counter(run, "generations_dropped"), equalTo(4L));
  }

  // Direct-only: it needs each step of the stream processed after the timers of the watermark
  // before it; Flink was seen to reorder TestStream elements across steps, and Spark refuses
  // event-time timers in a stateful DoFn in streaming mode.
  @Test
  @Tag("direct-only")
  void withExpiryAGenerationIsForgottenOnceTheWatermarkPassesTheNextOne(TestPipeline p) {
    TestStream<String> stream =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("x", 10), at("y", 15))
            .advanceWatermarkTo(new Instant(110_000)) // generation 0 still held until 120 s
            .addElements(at("x", 70)) // late, but generation 0 is still there: a repeat
            .advanceWatermarkTo(new Instant(125_000)) // generation 0 forgotten
            .addElements(at("y", 61)) // late, and generation 0 is gone: let through
            .advanceWatermarkToInfinity();

    PCollection<String> out =
        p.apply(stream)
            .apply(
                ApproximateDeduplicate.<String>values()
                    .withExpiry(MINUTE)
                    .withFalsePositiveRate(1e-9)
                    .withShards(1))
            .apply(ParDo.of(new WithSecondsFn()));

    PAssert.that(out).containsInAnyOrder("x@10", "y@15", "y@61");
    p.run().waitUntilFinish();
  }

  private static TimestampedValue<String> at(String value, long seconds) {
    return TimestampedValue.of(value, new Instant(seconds * 1_000L));
  }

  private static long counter(PipelineResult run, String name) {
    return TestMetrics.counter(run, ApproximateDeduplicate.METRICS_NAMESPACE, name);
  }

  static final class WithSecondsFn extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String value, @Timestamp Instant ts, OutputReceiver<String> out) {
      out.output(value + "@" + ts.getMillis() / 1_000);
    }
  }

  /**
   * For each value, the output holds exactly one element of each of its groups of copies, and
   * nothing else.
   */
  static final class OneOfEachGroup implements SerializableFunction<Iterable<String>, Void> {
    private final Map<String, List<List<String>>> groupsPerValue;

    OneOfEachGroup(Map<String, List<List<String>>> groupsPerValue) {
      this.groupsPerValue = new HashMap<>(groupsPerValue);
    }

    @Override
    public Void apply(Iterable<String> output) {
      List<String> remaining = new ArrayList<>();
      output.forEach(remaining::add);
      int expectedSize = 0;
      for (List<List<String>> groups : groupsPerValue.values()) {
        for (List<String> group : groups) {
          expectedSize++;
          long found = remaining.stream().filter(group::contains).count();
          assertThat("copies of " + group + " in " + remaining, found, equalTo(1L));
        }
      }
      assertThat("output " + remaining, remaining.size(), equalTo(expectedSize));
      return null;
    }
  }

  /** Every key exactly once, each with one of its own values. */
  static final class OnePerKey implements SerializableFunction<Iterable<KV<String, String>>, Void> {
    private final Map<String, Set<String>> valuesPerKey;

    OnePerKey(Map<String, Set<String>> valuesPerKey) {
      this.valuesPerKey = new HashMap<>(valuesPerKey);
    }

    @Override
    public Void apply(Iterable<KV<String, String>> output) {
      Map<String, String> seen = new HashMap<>();
      for (KV<String, String> kv : output) {
        String before = seen.put(kv.getKey(), kv.getValue());
        assertThat("second value for " + kv.getKey(), before, equalTo(null));
        assertThat(valuesPerKey.get(kv.getKey()), hasItem(kv.getValue()));
      }
      assertThat(seen.keySet(), equalTo(valuesPerKey.keySet()));
      return null;
    }
  }
}
