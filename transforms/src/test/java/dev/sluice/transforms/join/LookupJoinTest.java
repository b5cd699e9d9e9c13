package dev.sluice.transforms.join;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.transforms.TestMetrics;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class LookupJoinTest {
  private static final KvCoder<String, Long> TRANSACTIONS =
      KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
  private static final KvCoder<String, String> ACCOUNTS =
      KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());

  /** Transactions (account id, amount): "acc1" twice, "acc2" once, "ghost" has no account. */
  private static final List<KV<String, Long>> TXNS =
      List.of(KV.of("acc1", 5L), KV.of("acc1", 7L), KV.of("acc2", 9L), KV.of("ghost", 11L));

  /** The dimension table (account id, owner); "acc3" has no transactions. */
  private static final List<KV<String, String>> OWNERS =
      List.of(KV.of("acc1", "ada"), KV.of("acc2", "bob"), KV.of("acc3", "cy"));

  @Test
  void innerLookupDropsValuesWithoutADimensionRowAndCountsHitsAndMisses(TestPipeline p) {
    PCollection<KV<String, Long>> txns = p.apply("Txns", Create.of(TXNS).withCoder(TRANSACTIONS));
    PCollection<KV<String, String>> owners =
        p.apply("Owners", Create.of(OWNERS).withCoder(ACCOUNTS));

    PCollection<KV<String, Joined<Long, String>>> rows =
        txns.apply("LookUpOwner", LookupJoin.inner(owners));

    PAssert.that(rows)
        .containsInAnyOrder(
            List.of(
                KV.of("acc1", Joined.both(5L, "ada")),
                KV.of("acc1", Joined.both(7L, "ada")),
                KV.of("acc2", Joined.both(9L, "bob"))));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "lookup_hits"), equalTo(3L));
    assertThat(counter(run, "lookup_misses"), equalTo(1L));
  }

  @Test
  void leftOuterLookupKeepsAValueWithoutADimensionRowWithTheDimensionAbsent(TestPipeline p) {
    PCollection<KV<String, Long>> txns = p.apply("Txns", Create.of(TXNS).withCoder(TRANSACTIONS));
    PCollection<KV<String, String>> owners =
        p.apply("Owners", Create.of(OWNERS).withCoder(ACCOUNTS));
    PCollection<KV<String, String>> noOwners = p.apply("NoOwners", Create.empty(ACCOUNTS));

    PAssert.that(txns.apply("LookUpOwner", LookupJoin.leftOuter(owners)))
        .containsInAnyOrder(
            List.of(
                KV.of("acc1", Joined.both(5L, "ada")),
                KV.of("acc1", Joined.both(7L, "ada")),
                KV.of("acc2", Joined.both(9L, "bob")),
                KV.of("ghost", Joined.<Long, String>leftOnly(11L))));
    // An empty table: every value is a miss.
    PAssert.that(txns.apply("LookUpInEmptyTable", LookupJoin.leftOuter(noOwners)))
        .containsInAnyOrder(
            List.of(
                KV.of("acc1", Joined.<Long, String>leftOnly(5L)),
                KV.of("acc1", Joined.<Long, String>leftOnly(7L)),
                KV.of("acc2", Joined.<Long, String>leftOnly(9L)),
                KV.of("ghost", Joined.<Long, String>leftOnly(11L))));
    PAssert.that(txns.apply("InnerInEmptyTable", LookupJoin.inner(noOwners))).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void oneViewBuiltByTheCallerServesTwoLookups(TestPipeline p) {
    PCollectionView<Map<String, String>> ownerView =
        p.apply("Owners", Create.of(OWNERS).withCoder(ACCOUNTS)).apply("AsMap", View.asMap());
    PCollection<KV<String, Long>> txns = p.apply("Txns", Create.of(TXNS).withCoder(TRANSACTIONS));
    PCollection<KV<String, Long>> refunds =
        p.apply(
            "Refunds", Create.of(KV.of("acc3", -2L), KV.of("nobody", -3L)).withCoder(TRANSACTIONS));

    PAssert.that(txns.apply("TxnsLookUp", LookupJoin.inner(ownerView, StringUtf8Coder.of())))
        .containsInAnyOrder(
            List.of(
                KV.of("acc1", Joined.both(5L, "ada")),
                KV.of("acc1", Joined.both(7L, "ada")),
                KV.of("acc2", Joined.both(9L, "bob"))));
    PAssert.that(
            refunds.apply("RefundsLookUp", LookupJoin.leftOuter(ownerView, StringUtf8Coder.of())))
        .containsInAnyOrder(
            List.of(
                KV.of("acc3", Joined.both(-2L, "cy")),
                KV.of("nobody", Joined.<Long, String>leftOnly(-3L))));
    p.run().waitUntilFinish();
  }

  @Test
  void aWindowedMainInputKeepsItsWindowsAgainstATableInTheGlobalWindow(TestPipeline p) {
    // Two transactions of acc1 a minute apart land in two one-minute windows; the table is global.
    PCollection<KV<String, Long>> txns =
        p.apply(
                "Txns",
                Create.timestamped(
                        TimestampedValue.of(KV.of("acc1", 5L), new Instant(10_000)),
                        TimestampedValue.of(KV.of("acc1", 7L), new Instant(70_000)),
                        TimestampedValue.of(KV.of("ghost", 11L), new Instant(75_000)))
                    .withCoder(TRANSACTIONS))
            .apply("PerMinute", Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    PCollection<KV<String, String>> owners =
        p.apply("Owners", Create.of(OWNERS).withCoder(ACCOUNTS));

    PCollection<KV<String, Joined<Long, String>>> rows =
        txns.apply("LookUpOwner", LookupJoin.leftOuter(owners));

    PAssert.that(rows)
        .inWindow(new IntervalWindow(new Instant(0), new Instant(60_000)))
        .containsInAnyOrder(List.of(KV.of("acc1", Joined.both(5L, "ada"))));
    PAssert.that(rows)
        .inWindow(new IntervalWindow(new Instant(60_000), new Instant(120_000)))
        .containsInAnyOrder(
            List.of(
                KV.of("acc1", Joined.both(7L, "ada")),
                KV.of("ghost", Joined.<Long, String>leftOnly(11L))));
    p.run().waitUntilFinish();
  }

  private static long counter(PipelineResult run, String name) {
    return TestMetrics.counter(run, Join.METRICS_NAMESPACE, name);
  }
}
