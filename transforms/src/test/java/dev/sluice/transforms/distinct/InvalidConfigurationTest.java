package dev.sluice.transforms.distinct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad configuration fails when the pipeline is built, naming the parameter and the value. No
 * pipeline runs here.
 */
class InvalidConfigurationTest {
  private static String refusal(Executable construction) {
    return assertThrows(IllegalArgumentException.class, construction).getMessage();
  }

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.create());
  }

  @Test
  void countingRefusesElementsAndKeysWhoseCoderIsNotDeterministic() {
    Pipeline p = pipeline();
    PCollection<Double> doubles = p.apply("Doubles", Create.of(1.5, 2.5));
    assertThat(
        refusal(() -> doubles.apply(ApproximateDistinct.globally())),
        allOf(
            containsString("element coder"),
            containsString("DoubleCoder"),
            containsString("not deterministic")));

    PCollection<KV<Double, String>> doubleKeys =
        p.apply(
            "DoubleKeys",
            Create.of(KV.of(1.5, "a"))
                .withCoder(KvCoder.of(DoubleCoder.of(), StringUtf8Coder.of())));
    assertThat(
        refusal(() -> doubleKeys.apply(ApproximateDistinct.<Double, String>perKey())),
        allOf(
            containsString("ApproximateDistinct.perKey: the key coder"),
            containsString("DoubleCoder")));
    PCollection<KV<String, Double>> doubleValues =
        p.apply(
            "DoubleValues",
            Create.of(KV.of("a", 1.5))
                .withCoder(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of())));
    assertThat(
        refusal(() -> doubleValues.apply(ApproximateDistinct.<String, Double>sketchPerKey())),
        containsString("the element coder DoubleCoder"));
  }

  @Test
  void deduplicationRefusesElementsAndKeysWhoseCoderIsNotDeterministic() {
    Pipeline p = pipeline();
    PCollection<Double> doubles = p.apply("Doubles", Create.of(1.5, 2.5));
    assertThat(
        refusal(() -> doubles.apply(ApproximateDeduplicate.values())),
        allOf(
            containsString("ApproximateDeduplicate.values: the element coder"),
            containsString("not deterministic")));
    PCollection<KV<Double, String>> doubleKeys =
        p.apply(
            "DoubleKeys",
            Create.of(KV.of(1.5, "a"))
                .withCoder(KvCoder.of(DoubleCoder.of(), StringUtf8Coder.of())));
    assertThat(
        refusal(() -> doubleKeys.apply(ApproximateDeduplicate.<Double, String>keyedValues())),
        containsString("ApproximateDeduplicate.keyedValues: the key coder DoubleCoder"));
  }

  @Test
  void deduplicationSettingsOutsideTheirRangeAreRefusedNamingTheValue() {
    ApproximateDeduplicate.Values<String> values = ApproximateDeduplicate.values();
    assertThat(
        refusal(() -> values.withExpectedInsertions(0)),
        containsString("expectedInsertions must be at least 1, was 0"));
    assertThat(
        refusal(() -> values.withFalsePositiveRate(0)),
        containsString("falsePositiveRate must be in (0, 1) (e.g. 0.01 for 1 %), was 0.0"));
    assertThat(refusal(() -> values.withFalsePositiveRate(1)), containsString("was 1.0"));
    assertThat(refusal(() -> values.withFalsePositiveRate(Double.NaN)), containsString("was NaN"));
    assertThat(
        refusal(() -> values.withShards(0)), containsString("shards must be in [1, 65536], was 0"));
    assertThat(refusal(() -> values.withShards(70_000)), containsString("was 70000"));
    assertThat(
        refusal(() -> values.withExpiry(Duration.ZERO)),
        containsString("expiry must be positive, was PT0S"));
    assertThat(
        refusal(() -> ApproximateDeduplicate.keyedValues().withExpiry(Duration.millis(-5))),
        containsString("was PT-0.005S"));
  }

  @Test
  void aFilterTooLargeForDataSketchesIsRefusedWhenThePipelineIsBuilt() {
    // 10^12 elements in one shard at 1e-6 need about 2.9e13 bits, beyond DataSketches' maximum;
    // the same with 65 536 shards fits. The size depends on all three settings, so the check is
    // made when the transform is applied, whatever order they were set in.
    ApproximateDeduplicate.Values<String> tooLarge =
        ApproximateDeduplicate.<String>values()
            .withExpectedInsertions(1_000_000_000_000L)
            .withFalsePositiveRate(1e-6)
            .withShards(1);
    PCollection<String> strings = pipeline().apply(Create.of("a"));
    assertThat(
        refusal(() -> strings.apply("TooLarge", tooLarge)),
        allOf(containsString("needs"), containsString("more than DataSketches' maximum")));
    strings.apply("Fits", tooLarge.withShards(ApproximateDeduplicate.MAX_SHARDS));
  }
}
