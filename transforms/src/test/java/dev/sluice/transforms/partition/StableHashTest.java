package dev.sluice.transforms.partition;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StableHashTest {
  @Test
  void hashAgreesWithAnIndependentMurmur3ImplementationForEveryLengthIncludingEmpty() {
    Random random = new Random(7);
    for (int length = 0; length <= 70; length++) {
      for (int trial = 0; trial < 40; trial++) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        assertThat("length " + length, StableHash.hash64(bytes), equalTo(ReferenceHash.h1(bytes)));
      }
    }
  }

  @Test
  void pinnedValuesLetOtherLanguagesCheckTheirImplementation() {
    // Computed once with Guava's murmur3_128(0x736C7569); a change here breaks every stored layout.
    assertThat(StableHash.hash64(new byte[0]), equalTo(7231565720708806761L));
    assertThat(StableHash.hash64(ReferenceHash.utf8("sluice")), equalTo(2721927061028614474L));
    assertThat(StableHash.hash64(ReferenceHash.utf8("a")), equalTo(-3365760482127530235L));
    assertThat(StableHash.partitionOf("a", StringUtf8Coder.of(), 8), equalTo(5));
    assertThat(StableHash.partitionOf("sluice", StringUtf8Coder.of(), 8), equalTo(2));
  }

  @Test
  void negativeHashesStillGiveAPartitionInRangeByFloorMod() {
    int negatives = 0;
    for (int i = 0; i < 1000; i++) {
      String key = "k" + i;
      long h1 = ReferenceHash.h1(ReferenceHash.utf8(key));
      int partition = StableHash.partitionOf(key, StringUtf8Coder.of(), 7);
      assertThat(partition, greaterThanOrEqualTo(0));
      assertThat(partition, lessThan(7));
      assertThat(partition, equalTo((int) Math.floorMod(h1, 7L)));
      if (h1 < 0) {
        negatives++;
      }
    }
    // Half the hashes are negative: the floorMod branch was really exercised.
    assertThat(negatives, greaterThanOrEqualTo(400));
  }

  @Test
  void keysAreHashedByTheirCodersEncoding() {
    assertThat(
        StableHash.partitionOf(-12345L, BigEndianLongCoder.of(), 1000),
        equalTo(ReferenceHash.partition(ReferenceHash.bigEndian(-12345L), 1000)));
    // VarLongCoder writes 300 as the varint 0xAC 0x02: same number, other coder, other bytes.
    assertThat(
        StableHash.partitionOf(300L, VarLongCoder.of(), 1000),
        equalTo(ReferenceHash.partition(new byte[] {(byte) 0xAC, 0x02}, 1000)));
    assertThat(
        StableHash.partitionOf("Zürich ✓", StringUtf8Coder.of(), 1000),
        equalTo(ReferenceHash.partition(ReferenceHash.utf8("Zürich ✓"), 1000)));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 10_001})
  void refusesANumberOfPartitionsOutOfRangeNamingTheValue(int k) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StableHash.partitionOf(new byte[1], k));
    assertThat(e.getMessage(), equalTo("numPartitions must be in [1, 10000], was " + k));
    IllegalArgumentException viaHash =
        assertThrows(IllegalArgumentException.class, () -> HashPartition.of(k));
    assertThat(viaHash.getMessage(), containsString("was " + k));
  }
}
