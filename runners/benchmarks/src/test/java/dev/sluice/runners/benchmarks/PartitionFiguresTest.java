package dev.sluice.runners.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.sluice.launcher.generate.Zipf;
import dev.sluice.transforms.partition.StableHash;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class PartitionFiguresTest {
  private static final int RECORDS = 50_000;
  private static final int UNIFORM_KEYS = 5_000;
  private static final int ZIPF_KEYS = 1_000;
  private static final double EXPONENT = 1.1;
  private static final long SEED = 7L;

  private static PartitionFigures.Settings settings(int fanout, int workers) {
    return new PartitionFigures.Settings(
        List.of(8, 5), RECORDS, UNIFORM_KEYS, ZIPF_KEYS, EXPONENT, fanout, workers, SEED);
  }

  private static List<PartitionFigures.Row> rows(List<PartitionFigures.Row> all, String workload) {
    return all.stream().filter(r -> r.workload().equals(workload)).toList();
  }

  @Test
  void everyRecordLandsInExactlyOnePartitionByKeyAndSalted() {
    List<PartitionFigures.Row> all = PartitionFigures.measure(settings(128, 3));
    assertThat(all.size(), equalTo(4));
    for (PartitionFigures.Row row : all) {
      assertThat(row.byKey().numPartitions(), equalTo(row.partitions()));
      assertThat(row.salted().numPartitions(), equalTo(row.partitions()));
      assertThat(Arrays.stream(row.byKey().counts()).sum(), equalTo((long) RECORDS));
      assertThat(Arrays.stream(row.salted().counts()).sum(), equalTo((long) RECORDS));
      assertThat(row.records(), equalTo((long) RECORDS));
    }
  }

  @Test
  void uniformLoadByKeyIsAnIndependentCountWithSluicesStableHash() {
    for (PartitionFigures.Row row : rows(PartitionFigures.measure(settings(128, 1)), "uniform")) {
      int k = row.partitions();
      long[] expected = new long[k];
      for (int i = 0; i < RECORDS; i++) {
        expected[StableHash.partitionOf("key-" + (i % UNIFORM_KEYS), StringUtf8Coder.of(), k)]++;
      }
      long max = Arrays.stream(expected).max().getAsLong();
      assertThat("k=" + k, row.byKey().counts(), equalTo(expected));
      assertThat(row.maxByKey(), equalTo(max));
      assertThat(row.skewByKey(), equalTo(max / ((double) RECORDS / k)));
      assertThat(row.hottestKeyRecords(), equalTo((long) (RECORDS / UNIFORM_KEYS)));
    }
  }

  @Test
  void withAFanoutOfOneEverySaltIsZeroSoTheSaltedLoadIsTheKeyWithSaltZeroRehashed() {
    KvCoder<String, Integer> saltedKeyCoder = KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of());
    for (PartitionFigures.Row row : rows(PartitionFigures.measure(settings(1, 2)), "uniform")) {
      int k = row.partitions();
      long[] expected = new long[k];
      for (int i = 0; i < RECORDS; i++) {
        KV<String, Integer> saltedKey = KV.of("key-" + (i % UNIFORM_KEYS), 0);
        expected[StableHash.partitionOf(saltedKey, saltedKeyCoder, k)]++;
      }
      assertThat("k=" + k, row.salted().counts(), equalTo(expected));
    }
  }

  @Test
  void zipfHottestKeyMatchesAnIndependentDrawAndSaltingNeverRaisesTheLargestPartition() {
    Zipf zipf = new Zipf(ZIPF_KEYS, EXPONENT);
    SplittableRandom random = new SplittableRandom(SEED);
    long[] perKey = new long[ZIPF_KEYS];
    for (int i = 0; i < RECORDS; i++) {
      perKey[zipf.sample(random)]++;
    }
    long hottest = Arrays.stream(perKey).max().getAsLong();

    for (PartitionFigures.Row row : rows(PartitionFigures.measure(settings(128, 1)), "zipf")) {
      assertThat(row.hottestKeyRecords(), equalTo(hottest));
      // All of a key's records share its partition, so the hottest key's alone load one.
      assertThat(row.maxByKey(), greaterThanOrEqualTo(hottest));
      // 128 salts of runs of 16 spread the hot keys; cold keys only move to another partition.
      assertThat("k=" + row.partitions(), row.maxSalted(), lessThanOrEqualTo(row.maxByKey()));
      assertThat(row.reduction(), equalTo((double) row.maxByKey() / row.maxSalted()));
      // No partitioning goes below the even share.
      assertThat(row.skewSalted(), greaterThanOrEqualTo(1.0));
      assertThat(row.reduction(), lessThanOrEqualTo(row.skewByKey()));
    }
  }

  @Test
  void theTableHasAHeaderAndOneLinePerRow() {
    List<PartitionFigures.Row> all = PartitionFigures.measure(settings(16, 1));
    String table = PartitionFigures.markdownTable(all);
    assertThat(table.lines().count(), equalTo(2L + all.size()));
    assertThat(PartitionFigures.targetSummary(all).lines().count(), equalTo(1L + all.size()));
  }
}
