package dev.sluice.transforms.join;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class MultiJoinTest {
  private static final KvCoder<String, String> STRINGS =
      KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
  private static final TupleTag<String> A = new TupleTag<>("a");
  private static final TupleTag<String> B = new TupleTag<>("b");
  private static final TupleTag<String> C = new TupleTag<>("c");
  private static final List<TupleTag<String>> TAGS = List.of(A, B, C);

  @Test
  void anInnerMultiJoinGivesTheCrossProductOfKeysPresentInEveryInput(TestPipeline p) {
    TupleTag<String> orders = new TupleTag<>("orders");
    TupleTag<Long> accounts = new TupleTag<>("accounts");
    TupleTag<String> limits = new TupleTag<>("limits");
    // "k1": 2 orders x 1 account x 2 limits = 4 rows; "k2" has no limit, "k3" only a limit.
    PCollection<KV<String, String>> orderRows =
        p.apply(
            "Orders",
            Create.of(KV.of("k1", "o1"), KV.of("k1", "o2"), KV.of("k2", "o3")).withCoder(STRINGS));
    PCollection<KV<String, Long>> accountRows =
        p.apply(
            "Accounts",
            Create.of(KV.of("k1", 100L), KV.of("k2", 200L))
                .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    PCollection<KV<String, String>> limitRows =
        p.apply(
            "Limits",
            Create.of(KV.of("k1", "l1"), KV.of("k1", "l2"), KV.of("k3", "l3")).withCoder(STRINGS));

    PCollection<KV<String, JoinRow>> rows =
        KeyedPCollectionTuple.of(orders, orderRows)
            .and(accounts, accountRows)
            .and(limits, limitRows)
            .apply("Join", MultiJoin.inner());

    List<KV<String, JoinRow>> expected = new ArrayList<>();
    for (String order : List.of("o1", "o2")) {
      for (String limit : List.of("l1", "l2")) {
        expected.add(
            KV.of(
                "k1",
                JoinRow.builder()
                    .present(orders, order)
                    .present(accounts, 100L)
                    .present(limits, limit)
                    .build()));
      }
    }
    PAssert.that(rows).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  static Stream<Arguments> configurations() {
    // Name, then whether each of a, b, c is optional under that configuration: stated here.
    return Stream.of(
        Arguments.of("inner", false, false, false),
        Arguments.of("fullOuter", true, true, true),
        Arguments.of("inner.withOptional(b, c)", false, true, true),
        Arguments.of("fullOuter.withRequired(b)", true, false, true),
        Arguments.of("inner.withOptional(a, c).withRequired(c)", true, false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void everyConfigurationMatchesACrossProductModelOnDataWithDuplicates(
      String configuration,
      boolean aOptional,
      boolean bOptional,
      boolean cOptional,
      TestPipeline p) {
    // Overlapping key ranges: k0..k1 only in a, k10..k11 only in c, duplicates in each input.
    List<List<KV<String, String>>> inputs =
        List.of(
            NestedLoopJoin.records(3, 30, 0, 7, "a"),
            NestedLoopJoin.records(5, 25, 2, 9, "b"),
            NestedLoopJoin.records(9, 20, 4, 11, "c"));
    List<KV<String, JoinRow>> expected =
        crossProductModel(inputs, new boolean[] {aOptional, bOptional, cOptional});

    KeyedPCollectionTuple<String> tuple = KeyedPCollectionTuple.empty(p);
    for (int i = 0; i < TAGS.size(); i++) {
      tuple =
          tuple.and(TAGS.get(i), p.apply("Input" + i, Create.of(inputs.get(i)).withCoder(STRINGS)));
    }
    PCollection<KV<String, JoinRow>> rows = tuple.apply("Join", configure(configuration));

    PAssert.that(rows).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
    assertThat(expected.size(), greaterThan(0));
  }

  private static MultiJoin<String> configure(String configuration) {
    switch (configuration) {
      case "inner":
        return MultiJoin.inner();
      case "fullOuter":
        return MultiJoin.fullOuter();
      case "inner.withOptional(b, c)":
        return MultiJoin.<String>inner().withOptional(B, C);
      case "fullOuter.withRequired(b)":
        return MultiJoin.<String>fullOuter().withRequired(B);
      case "inner.withOptional(a, c).withRequired(c)":
        return MultiJoin.<String>inner().withOptional(A, C).withRequired(C);
      default:
        throw new IllegalArgumentException(configuration);
    }
  }

  /**
   * For every key of any input: nothing if a required input lacks it, else the cross product of
   * each input's values (an optional input without values contributing one absent side).
   */
  private static List<KV<String, JoinRow>> crossProductModel(
      List<List<KV<String, String>>> inputs, boolean[] optional) {
    TreeSet<String> keys = new TreeSet<>();
    inputs.forEach(input -> input.forEach(kv -> keys.add(kv.getKey())));
    List<KV<String, JoinRow>> rows = new ArrayList<>();
    for (String key : keys) {
      List<List<String>> values = new ArrayList<>();
      boolean dropped = false;
      for (int i = 0; i < inputs.size(); i++) {
        List<String> mine = new ArrayList<>();
        for (KV<String, String> kv : inputs.get(i)) {
          if (kv.getKey().equals(key)) {
            mine.add(kv.getValue());
          }
        }
        dropped |= mine.isEmpty() && !optional[i];
        values.add(mine);
      }
      if (!dropped) {
        expand(key, values, List.of(), rows);
      }
    }
    return rows;
  }

  private static void expand(
      String key,
      List<List<String>> values,
      List<Side<String>> prefix,
      List<KV<String, JoinRow>> rows) {
    int tag = prefix.size();
    if (tag == values.size()) {
      JoinRow.Builder row = JoinRow.builder();
      for (int i = 0; i < prefix.size(); i++) {
        if (prefix.get(i).isPresent()) {
          row.present(TAGS.get(i), prefix.get(i).get());
        } else {
          row.absent(TAGS.get(i));
        }
      }
      rows.add(KV.of(key, row.build()));
      return;
    }
    List<Side<String>> choices = new ArrayList<>();
    values.get(tag).forEach(v -> choices.add(Side.present(v)));
    if (choices.isEmpty()) {
      choices.add(Side.absent());
    }
    for (Side<String> choice : choices) {
      List<Side<String>> longer = new ArrayList<>(prefix);
      longer.add(choice);
      expand(key, values, longer, rows);
    }
  }
}
