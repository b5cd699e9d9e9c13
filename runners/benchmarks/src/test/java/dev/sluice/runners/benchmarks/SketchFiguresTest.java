package dev.sluice.runners.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.sluice.transforms.distinct.ApproximateDistinct;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SketchFiguresTest {
  private static final long SEED = 20240801L;

  @Test
  void everyTrialsStreamHasExactlyAsManyDistinctValuesAsItsLengthAndTrialsDiffer() {
    int length = 50_000;
    Set<Long> previous = Set.of();
    for (int trial = 0; trial < 3; trial++) {
      long key = SketchFigures.trialKey(SEED, trial);
      Set<Long> values = new HashSet<>();
      for (long i = 0; i < length; i++) {
        values.add(SketchFigures.item(key, i));
      }
      assertThat("trial " + trial, values.size(), equalTo(length));
      Set<Long> shared = new HashSet<>(values);
      shared.retainAll(previous);
      // Two streams of 50 000 random 64-bit values share none, but for a 1 in 10^9 chance.
      assertThat("values shared with the previous trial", shared.size(), equalTo(0));
      previous = values;
    }
  }

  @Test
  void aSetFarBelowTheSketchesListRangeIsCountedExactly() {
    // 100 elements at lgK 12 stay in DataSketches' coupon list: 26-bit hashes, which collide
    // among 100 elements with probability about 100^2 / 2^27 = 7e-5. So each estimate rounds to
    // the exact count: an error under half an element.
    List<SketchFigures.Row> rows =
        SketchFigures.measure(
            new SketchFigures.Settings(List.of(12), List.of(10L, 100L), 5, 5, 1_000, SEED, 1));
    assertThat(rows.size(), equalTo(2));
    for (SketchFigures.Row row : rows) {
      assertThat(
          "p99 error at " + row.distinct(), row.p99RelativeError(), lessThan(0.5 / row.distinct()));
      assertThat(row.sketchBytes(), lessThan(1 << 12));
    }
  }

  @Test
  void medianErrorAtTheDefaultPrecisionIsWithinThreeStandardErrorsButNotZero() {
    int lgK = ApproximateDistinct.DEFAULT_LG_K;
    double rse = 1.04 / Math.sqrt(1 << lgK);
    List<SketchFigures.Row> rows =
        SketchFigures.measure(
            new SketchFigures.Settings(List.of(lgK), List.of(100_000L), 11, 11, 1L << 40, SEED, 2));
    SketchFigures.Row row = rows.get(0);
    assertThat(row.lgK(), equalTo(12));
    assertThat(row.distinct(), equalTo(100_000L));
    assertThat(row.trials(), equalTo(11));
    assertThat(row.relativeStandardError(), closeTo(rse, 0.01 * rse));
    // The median of |error| is 0.67 RSE for a normal error. Above 3 RSE the sketch or the
    // measurement is broken; under 0.1 RSE too (P(|Z| < 0.1) = 0.08: 6 of 11 trials below it
    // happens with probability about 1e-4), e.g. if estimates were compared with themselves.
    assertThat(row.medianRelativeError(), lessThanOrEqualTo(3 * rse));
    assertThat(row.medianRelativeError(), greaterThan(0.1 * rse));
    assertThat(row.p99RelativeError(), greaterThanOrEqualTo(row.medianRelativeError()));
    // 10^5 distinct elements fill the 4096 one-byte registers: the dense image, 2^lgK + 40 bytes.
    assertThat(row.sketchBytes(), equalTo((1 << lgK) + 40));
  }

  @Test
  void largeCountsGetTheirOwnNumberOfTrialsAndRowsAreOrderedByLgKThenCount() {
    List<SketchFigures.Row> rows =
        SketchFigures.measure(
            new SketchFigures.Settings(
                List.of(8, 10), List.of(1_000L, 10_000L), 3, 2, 10_000L, SEED, 2));
    assertThat(rows.size(), equalTo(4));
    int[] lgKs = {8, 8, 10, 10};
    long[] counts = {1_000, 10_000, 1_000, 10_000};
    int[] trials = {3, 2, 3, 2};
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).lgK(), equalTo(lgKs[i]));
      assertThat(rows.get(i).distinct(), equalTo(counts[i]));
      assertThat(rows.get(i).trials(), equalTo(trials[i]));
      // DistinctSketch documents its image as at most 2^lgK + 40 bytes.
      assertThat(rows.get(i).sketchBytes(), lessThanOrEqualTo((1 << lgKs[i]) + 40));
    }
    String table = SketchFigures.markdownTable(rows);
    assertThat(table.lines().count(), equalTo(2L + rows.size()));
  }

  @Test
  void nearestRankPercentilesOfFewTrialsAreTheLargestValue() {
    double[] sorted = new double[21];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i + 1;
    }
    assertThat(SketchFigures.nearestRank(sorted, 0.99), equalTo(21.0));
    assertThat(SketchFigures.nearestRank(sorted, 0.50), equalTo(11.0));
    assertThat(SketchFigures.nearestRank(sorted, 0.0), equalTo(1.0));
    double[] many = new double[200];
    for (int i = 0; i < many.length; i++) {
      many[i] = i + 1;
    }
    assertThat(SketchFigures.nearestRank(many, 0.99), equalTo(198.0));
  }
}
