package dev.sluice.transforms.partition;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySalterTest {
  private static final int FANOUT = 8;
  private static final long OFFSET = 5;

  private static int base(String key) {
    return ReferenceHash.partition(ReferenceHash.utf8(key), FANOUT);
  }

  @Test
  void aKeysFirstSixteenElementsShareOneSaltAndTheSeventeenthMovesOn() {
    KeySalter salter = new KeySalter(FANOUT, OFFSET);
    int first = (int) ((base("cold") + OFFSET) % FANOUT);
    for (int i = 0; i < 16; i++) {
      assertThat("element " + i, salter.salt(ReferenceHash.utf8("cold")), equalTo(first));
    }
    assertThat(salter.salt(ReferenceHash.utf8("cold")), equalTo((first + 1) % FANOUT));
  }

  @Test
  void aHotKeyRotatesOverAllSaltsInRunsOfSixteenEvenly() {
    KeySalter salter = new KeySalter(FANOUT, OFFSET);
    int[] perSalt = new int[FANOUT];
    Set<Integer> otherKeysSalts = new HashSet<>();
    // 12 full rotations of 8 runs of 16, interleaved with other keys that must not disturb it.
    for (int i = 0; i < 16 * FANOUT * 12; i++) {
      perSalt[salter.salt(ReferenceHash.utf8("hot"))]++;
      otherKeysSalts.add(salter.salt(ReferenceHash.utf8("other-" + (i % 100))));
    }
    for (int salt = 0; salt < FANOUT; salt++) {
      assertThat("salt " + salt, perSalt[salt], equalTo(16 * 12));
    }
    // Each of the 100 other keys had at most 16 elements: it kept its own first salt.
    Set<Integer> expected = new HashSet<>();
    for (int k = 0; k < 100; k++) {
      expected.add((int) ((base("other-" + k) + OFFSET) % FANOUT));
    }
    assertThat(otherKeysSalts, equalTo(expected));
  }
}
