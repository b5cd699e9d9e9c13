package dev.sluice.transforms.partition;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class HashPartitionTest {
  /** 300 elements over 120 keys, including an empty and a non-ASCII key; value = position. */
  private static List<KV<String, Long>> clicks() {
    List<KV<String, Long>> clicks = new ArrayList<>();
    for (long i = 0; i < 300; i++) {
      String key = i % 120 == 0 ? "" : i % 120 == 1 ? "Zürich ✓" : "user-" + (i % 120);
      clicks.add(KV.of(key, i));
    }
    return clicks;
  }

  private static <V> List<KV<Integer, KV<String, V>>> expectedAssignment(
      List<KV<String, V>> input, int k) {
    List<KV<Integer, KV<String, V>>> expected = new ArrayList<>();
    for (KV<String, V> kv : input) {
      expected.add(KV.of(ReferenceHash.partition(ReferenceHash.utf8(kv.getKey()), k), kv));
    }
    return expected;
  }

  @Test
  void everyKeyLandsInThePartitionAnIndependentMurmur3GivesWhateverTheOrderOrBundling(
      TestPipeline p) {
    List<KV<String, Long>> clicks = clicks();
    List<KV<String, Long>> reversed = new ArrayList<>(clicks);
    Collections.reverse(reversed);

    PCollection<KV<Integer, KV<String, Long>>> inOrder =
        p.apply("InOrder", Create.of(clicks)).apply("AssignInOrder", HashPartition.of(8).assign());
    PCollection<KV<Integer, KV<String, Long>>> reshuffled =
        p.apply("Reversed", Create.of(reversed))
            .apply("Reshuffle", Reshuffle.viaRandomKey())
            .apply("AssignReshuffled", HashPartition.of(8).assign());

    List<KV<Long, String>> accounts = new ArrayList<>();
    List<KV<Integer, KV<Long, String>>> expectedAccounts = new ArrayList<>();
    for (long id = -50; id < 50; id++) {
      KV<Long, String> account = KV.of(id * 1_000_003L, "account " + id);
      accounts.add(account);
      expectedAccounts.add(
          KV.of(ReferenceHash.partition(ReferenceHash.bigEndian(id * 1_000_003L), 5), account));
    }
    PCollection<KV<Integer, KV<Long, String>>> longKeys =
        p.apply(
                "Accounts",
                Create.of(accounts)
                    .withCoder(KvCoder.of(BigEndianLongCoder.of(), StringUtf8Coder.of())))
            .apply("AssignLongKeys", HashPartition.of(5).assign());

    PAssert.that(inOrder).containsInAnyOrder(expectedAssignment(clicks, 8));
    PAssert.that(reshuffled).containsInAnyOrder(expectedAssignment(clicks, 8));
    PAssert.that(longKeys).containsInAnyOrder(expectedAccounts);
    p.run().waitUntilFinish();
  }

  @Test
  void splitPutsEachElementInItsPartitionAndCountsThemInMetricsAndStats(TestPipeline p) {
    List<KV<String, Long>> clicks = clicks();
    int k = 4;
    List<List<KV<String, Long>>> expected = new ArrayList<>();
    long[] expectedCounts = new long[k];
    for (int i = 0; i < k; i++) {
      expected.add(new ArrayList<>());
    }
    for (KV<String, Long> click : clicks) {
      int partition = ReferenceHash.partition(ReferenceHash.utf8(click.getKey()), k);
      expected.get(partition).add(click);
      expectedCounts[partition]++;
    }

    PCollection<KV<String, Long>> input = p.apply(Create.of(clicks));
    PCollectionList<KV<String, Long>> split = input.apply("Split", HashPartition.of(k).split());
    PCollection<PartitionStats> stats =
        input.apply("Tag", HashPartition.of(k).assign()).apply("Load", PartitionStats.globally(k));

    assertThat(split.size(), equalTo(k));
    for (int i = 0; i < k; i++) {
      PAssert.that("partition " + i, split.get(i)).containsInAnyOrder(expected.get(i));
    }
    PAssert.thatSingleton(stats).isEqualTo(PartitionStats.fromCounts(expectedCounts));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(PartitionMetrics.counts(result, "Split", k), equalTo(expectedCounts));
    assertThat(PartitionMetrics.counts(result, "Tag", k), equalTo(expectedCounts));
  }

  @Test
  void refusesAKeyCoderThatIsNotDeterministicWhenApplied() {
    Pipeline p = Pipeline.create();
    PCollection<KV<Double, Long>> byDouble =
        p.apply(
            Create.of(KV.of(0.5, 1L)).withCoder(KvCoder.of(DoubleCoder.of(), VarLongCoder.of())));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> byDouble.apply(HashPartition.of(4).assign()));
    assertThat(e.getMessage(), containsString("HashPartition needs a deterministic key coder"));
    assertThat(e.getMessage(), containsString("DoubleCoder"));
  }
}
