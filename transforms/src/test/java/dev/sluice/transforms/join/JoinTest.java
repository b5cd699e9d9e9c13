package dev.sluice.transforms.join;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.transforms.TestMetrics;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class JoinTest {
  private static final KvCoder<String, String> STRINGS =
      KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
  private static final KvCoder<String, Long> LONGS =
      KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

  @Test
  void fullOuterJoinPairsEveryValueOfAKeyAndMarksTheMissingSideAbsent(TestPipeline p) {
    // "a": two left values, one of them twice, times two right values; "b" left only; "c" right.
    PCollection<KV<String, String>> left =
        p.apply(
            "Left",
            Create.of(KV.of("a", "a1"), KV.of("a", "a1"), KV.of("a", "a2"), KV.of("b", "b1"))
                .withCoder(STRINGS));
    PCollection<KV<String, Long>> right =
        p.apply(
            "Right", Create.of(KV.of("a", 10L), KV.of("a", 20L), KV.of("c", 30L)).withCoder(LONGS));

    PCollection<KV<String, Joined<String, Long>>> rows =
        left.apply("FullOuter", Join.fullOuter(right));

    PAssert.that(rows)
        .containsInAnyOrder(
            List.of(
                KV.of("a", Joined.both("a1", 10L)),
                KV.of("a", Joined.both("a1", 20L)),
                KV.of("a", Joined.both("a1", 10L)),
                KV.of("a", Joined.both("a1", 20L)),
                KV.of("a", Joined.both("a2", 10L)),
                KV.of("a", Joined.both("a2", 20L)),
                KV.of("b", Joined.<String, Long>leftOnly("b1")),
                KV.of("c", Joined.<String, Long>rightOnly(30L))));
    p.run().waitUntilFinish();
  }

  static Stream<Arguments> kinds() {
    // Name, keeps left-only values, keeps right-only values: what each kind means, stated here.
    return Stream.of(
        Arguments.of("inner", false, false),
        Arguments.of("leftOuter", true, false),
        Arguments.of("rightOuter", false, true),
        Arguments.of("fullOuter", true, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyKindMatchesANestedLoopJoinOnManyToManyDataWithDuplicates(
      String kind, boolean keepLeftOnly, boolean keepRightOnly, TestPipeline p) {
    // Keys k0..k11 on the left and k4..k15 on the right: k0..k3 left-only, k12..k15 right-only.
    List<KV<String, String>> leftRecords = NestedLoopJoin.records(7, 120, 0, 11, "L");
    List<KV<String, String>> rightRecords = NestedLoopJoin.records(11, 90, 4, 15, "R");
    List<KV<String, Joined<String, String>>> expected =
        NestedLoopJoin.join(leftRecords, rightRecords, keepLeftOnly, keepRightOnly);
    PCollection<KV<String, String>> left =
        p.apply("Left", Create.of(leftRecords).withCoder(STRINGS));
    PCollection<KV<String, String>> right =
        p.apply("Right", Create.of(rightRecords).withCoder(STRINGS));

    PCollection<KV<String, Joined<String, String>>> rows = left.apply("Join", join(kind, right));

    PAssert.that(rows).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
    // The data really is many-to-many: more rows than records on either side.
    assertThat(expected.size(), greaterThan(leftRecords.size() + rightRecords.size()));
  }

  @Test
  void anEmptySideGivesNoInnerRowsAndOnlyTheOtherSidesValuesOtherwise(TestPipeline p) {
    List<KV<String, String>> values = List.of(KV.of("a", "x"), KV.of("a", "y"), KV.of("b", "z"));
    PCollection<KV<String, String>> some = p.apply("Some", Create.of(values).withCoder(STRINGS));
    PCollection<KV<String, String>> none = p.apply("None", Create.empty(STRINGS));

    List<KV<String, Joined<String, String>>> leftOnly =
        List.of(
            KV.of("a", Joined.leftOnly("x")),
            KV.of("a", Joined.leftOnly("y")),
            KV.of("b", Joined.leftOnly("z")));
    List<KV<String, Joined<String, String>>> rightOnly =
        List.of(
            KV.of("a", Joined.rightOnly("x")),
            KV.of("a", Joined.rightOnly("y")),
            KV.of("b", Joined.rightOnly("z")));

    // Right side empty.
    PAssert.that(some.apply("InnerEmptyRight", Join.inner(none))).empty();
    PAssert.that(some.apply("LeftEmptyRight", Join.leftOuter(none))).containsInAnyOrder(leftOnly);
    PAssert.that(some.apply("RightEmptyRight", Join.rightOuter(none))).empty();
    PAssert.that(some.apply("FullEmptyRight", Join.fullOuter(none))).containsInAnyOrder(leftOnly);
    // Left side empty.
    PAssert.that(none.apply("InnerEmptyLeft", Join.inner(some))).empty();
    PAssert.that(none.apply("LeftEmptyLeft", Join.leftOuter(some))).empty();
    PAssert.that(none.apply("RightEmptyLeft", Join.rightOuter(some))).containsInAnyOrder(rightOnly);
    PAssert.that(none.apply("FullEmptyLeft", Join.fullOuter(some))).containsInAnyOrder(rightOnly);
    p.run().waitUntilFinish();
  }

  @Test
  void valuesWithoutAMatchAreCountedEvenWhenAnInnerJoinDropsThem(TestPipeline p) {
    // Left: 3 values of "a" (matched), 2 of "b" (unmatched). Right: 1 of "a", 4 of "c".
    PCollection<KV<String, String>> left =
        p.apply(
            "Left",
            Create.of(
                    KV.of("a", "1"),
                    KV.of("a", "2"),
                    KV.of("a", "3"),
                    KV.of("b", "4"),
                    KV.of("b", "5"))
                .withCoder(STRINGS));
    PCollection<KV<String, Long>> right =
        p.apply(
            "Right",
            Create.of(
                    KV.of("a", 1L), KV.of("c", 2L), KV.of("c", 3L), KV.of("c", 4L), KV.of("c", 5L))
                .withCoder(LONGS));

    PCollection<KV<String, Joined<String, Long>>> rows = left.apply("Inner", Join.inner(right));

    PAssert.that(rows)
        .containsInAnyOrder(
            List.of(
                KV.of("a", Joined.both("1", 1L)),
                KV.of("a", Joined.both("2", 1L)),
                KV.of("a", Joined.both("3", 1L))));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "unmatched_left"), equalTo(2L));
    assertThat(counter(run, "unmatched_right"), equalTo(4L));
  }

  private static Join.TwoWay<String, String, String> join(
      String kind, PCollection<KV<String, String>> right) {
    switch (kind) {
      case "inner":
        return Join.inner(right);
      case "leftOuter":
        return Join.leftOuter(right);
      case "rightOuter":
        return Join.rightOuter(right);
      case "fullOuter":
        return Join.fullOuter(right);
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  private static long counter(PipelineResult run, String name) {
    return TestMetrics.counter(run, Join.METRICS_NAMESPACE, name);
  }
}
