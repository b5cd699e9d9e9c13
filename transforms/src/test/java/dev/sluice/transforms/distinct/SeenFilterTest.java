package dev.sluice.transforms.distinct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.datasketches.filters.bloomfilter.BloomFilter;
import org.apache.datasketches.filters.bloomfilter.BloomFilterBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Bloom filters behind {@link ApproximateDeduplicate}, without a pipeline. */
class SeenFilterTest {
  private static final int PROBES = 200_000;

  private static byte[] id(long value) {
    return ElementEncoding.of(VarLongCoder.of(), value);
  }

  /**
   * Loads a filter with its full capacity of distinct elements, then probes it with 200 000 fresh
   * ones: every "seen" answer is a false positive. The measured rate must stay within the bound
   * plus three binomial standard deviations of the measurement, sqrt(p (1 - p) / probes) (for p =
   * 0.01 that is 0.00067): a correct filter exceeds it with probability 0.13 %, and the seeds are
   * fixed, so the figures are the same on every run. The rates are printed ("FALSE_POSITIVES").
   */
  @ParameterizedTest
  @CsvSource({"10000, 0.1", "50000, 0.01", "100000, 0.001"})
  void measuredFalsePositiveRateOfAFullFilterStaysWithinTheBound(long capacity, double rate) {
    SeenFilter.Sizing sizing = SeenFilter.Sizing.of(capacity, rate);
    SeenFilter filter = SeenFilter.empty();
    for (long v = 0; v < capacity; v++) {
      filter.seenOrRemember(id(v), 0, sizing);
    }
    long falsePositives = 0;
    for (long v = -1; v >= -PROBES; v--) { // never inserted; a lookup inserts nothing
      if (filter.seen(id(v), 0)) {
        falsePositives++;
      }
    }
    double measured = falsePositives / (double) PROBES;
    double margin = 3 * Math.sqrt(rate * (1 - rate) / PROBES);
    System.out.printf(
        "FALSE_POSITIVES filter capacity=%d bound=%s measured=%.5f (%d of %d) bits/element=%.2f"
            + " hashes=%d%n",
        capacity,
        rate,
        measured,
        falsePositives,
        PROBES,
        sizing.bits() / (double) capacity,
        sizing.hashes());
    assertThat(measured, lessThanOrEqualTo(rate + margin));
    assertThat(sizing.falsePositiveRate(), lessThanOrEqualTo(rate));
  }

  @Test
  void everyRememberedElementIsFoundAgain() {
    SeenFilter.Sizing sizing = SeenFilter.Sizing.of(5_000, 0.05);
    SeenFilter filter = SeenFilter.empty();
    long firstSeen = 0;
    for (long v = 0; v < 5_000; v++) {
      if (!filter.seenOrRemember(id(v), 0, sizing)) {
        firstSeen++;
      }
    }
    for (long v = 0; v < 5_000; v++) {
      assertThat("no false negative: " + v, filter.seenOrRemember(id(v), 0, sizing), equalTo(true));
    }
    assertThat(filter.insertions(0), equalTo(firstSeen));
  }

  @Test
  void dataSketchesOwnSizingLandsAboveTheTargetWhichOursDoesNot() {
    // Why Sizing exists: createByAccuracy(10 000, 0.1) rounds the hash count up to 4.
    BloomFilter theirs = BloomFilterBuilder.createByAccuracy(10_000, 0.1, SeenFilter.HASH_SEED);
    double k = theirs.getNumHashes();
    double theirRate = Math.pow(1 - Math.exp(-k * 10_000 / theirs.getCapacity()), k);
    assertThat(theirRate, greaterThan(0.1));
    assertThat(SeenFilter.Sizing.of(10_000, 0.1).falsePositiveRate(), lessThanOrEqualTo(0.1));
    // ... at a size within 2 % of the optimum, -n ln p / (ln 2)^2 bits.
    double optimum = -10_000 * Math.log(0.1) / (Math.log(2) * Math.log(2));
    double bits = SeenFilter.Sizing.of(10_000, 0.1).bits();
    assertThat(bits, lessThanOrEqualTo(optimum * 1.02));
  }

  @Test
  void anElementIsLookedUpInItsGenerationAndBothNeighboursAndRememberedInItsOwn() {
    SeenFilter.Sizing sizing = SeenFilter.Sizing.of(1_000, 0.001);
    SeenFilter filter = SeenFilter.empty();
    assertThat(filter.seenOrRemember(id(42), 5, sizing), equalTo(false));
    assertThat(filter.seenOrRemember(id(42), 4, sizing), equalTo(true)); // one earlier
    assertThat(filter.seenOrRemember(id(42), 6, sizing), equalTo(true)); // one later
    assertThat(filter.seenOrRemember(id(42), 7, sizing), equalTo(false)); // two later: new
    assertThat(filter.insertions(5), equalTo(1L));
    assertThat(filter.insertions(7), equalTo(1L));
    assertThat(filter.oldestGeneration(), equalTo(5L));

    filter.forgetBefore(6); // generation 5 goes, 7 stays
    assertThat(filter.oldestGeneration(), equalTo(7L));
    assertThat(filter.seenOrRemember(id(42), 5, sizing), equalTo(false)); // forgotten
    assertThat(filter.seenOrRemember(id(42), 8, sizing), equalTo(true)); // next to 7
    filter.forgetBefore(100);
    assertThat(filter.isEmpty(), equalTo(true));
  }

  @Test
  void theCoderKeepsGenerationsCountsAndMembers() throws Exception {
    SeenFilter.Sizing sizing = SeenFilter.Sizing.of(2_000, 0.01);
    SeenFilter filter = SeenFilter.empty();
    for (long v = 0; v < 1_500; v++) {
      filter.seenOrRemember(id(v), v % 2 == 0 ? 10 : 20, sizing);
    }
    SeenFilter copy = CoderUtils.clone(SeenFilter.Coder.of(), filter);
    assertThat(copy.insertions(10), equalTo(filter.insertions(10)));
    assertThat(copy.insertions(20), equalTo(filter.insertions(20)));
    assertThat(copy.oldestGeneration(), equalTo(10L));
    for (long v = 0; v < 1_500; v++) {
      assertThat(copy.seenOrRemember(id(v), v % 2 == 0 ? 10 : 20, sizing), equalTo(true));
    }
  }
}
