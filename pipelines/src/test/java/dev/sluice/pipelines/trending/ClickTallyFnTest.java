package dev.sluice.pipelines.trending;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class ClickTallyFnTest {
  /**
   * The claim trending-items rests on: the distinct-user figure of an HLL sketch (lgK 12) is exact
   * for every prefix of the clicks generator's users, user-001 to user-250, and on to 384, the most
   * an lgK-12 sketch keeps as exact hash coupons. No two of these users' coupons collide (else a
   * prefix would come out one short), so every subset of them is counted exactly too.
   */
  @Test
  void distinctUsersAreExactForTheGeneratorsUsersAndBeyond() {
    ClickTallyFn fn = ClickTallyFn.create();
    ClickTallyFn.Accum accumulator = fn.createAccumulator();
    for (int n = 1; n <= 384; n++) {
      String user = String.format("user-%03d", n);
      accumulator = fn.addInput(accumulator, user);
      accumulator = fn.addInput(accumulator, user); // a second click: a click, not a user
      ClickTallyFn.Tally expected = new ClickTallyFn.Tally(2L * n, n);
      assertThat("users 1.." + n, fn.extractOutput(accumulator), equalTo(expected));
    }
  }

  @Test
  void tallyIsTheSameHoweverTheClicksAreSplitAndMerged() {
    List<String> users = new ArrayList<>(List.of("u1", "u2", "u1", "u3", "u2", "u1", "u4"));
    CombineFnTester.testCombineFn(ClickTallyFn.create(), users, new ClickTallyFn.Tally(7, 4));
  }

  @Test
  void accumulatorsSurviveTheirCoder() throws Exception {
    ClickTallyFn fn = ClickTallyFn.create();
    Coder<ClickTallyFn.Accum> coder =
        fn.getAccumulatorCoder(CoderRegistry.createDefault(), StringUtf8Coder.of());
    ClickTallyFn.Accum accumulator = fn.createAccumulator();
    for (String user : List.of("a", "b", "a")) {
      accumulator = fn.addInput(accumulator, user);
    }
    ClickTallyFn.Accum decoded = CoderUtils.clone(coder, accumulator);
    assertThat(fn.extractOutput(decoded), equalTo(new ClickTallyFn.Tally(3, 2)));
    CoderProperties.coderDecodeEncodeEqual(
        ClickTallyFn.Tally.Coder.of(), new ClickTallyFn.Tally(5, 3));
  }

  @Test
  void rankingPutsMoreClicksFirstThenTheSmallerItemId() {
    ItemScore a3 = new ItemScore("a", 3, 1);
    ItemScore b3 = new ItemScore("b", 3, 3);
    ItemScore c9 = new ItemScore("c", 9, 1);
    List<ItemScore> best = new ArrayList<>(List.of(a3, b3, c9));
    best.sort(ItemScore.RANKING.reversed());
    assertThat(best, equalTo(List.of(c9, a3, b3)));
  }
}
