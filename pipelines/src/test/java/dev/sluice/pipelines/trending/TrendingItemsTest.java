package dev.sluice.pipelines.trending;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Options are checked before anything runs, each refusal naming the flag, value and the rule. */
class TrendingItemsTest {
  @TempDir static Path dir;

  @BeforeAll
  static void writeAnInputFile() throws IOException {
    Files.writeString(dir.resolve("clicks.jsonl"), "");
  }

  private static TrendingItems.Options options(String... flags) {
    String[] args = new String[flags.length + 2];
    args[0] = "--input=file:" + dir.resolve("clicks.jsonl");
    args[1] = "--output=file:" + dir.resolve("out");
    System.arraycopy(flags, 0, args, 2, flags.length);
    return PipelineOptionsFactory.fromArgs(args).as(TrendingItems.Options.class);
  }

  @Test
  void buildsWithTheDefaultsAndWithEveryKnobSet() {
    assertThat(TrendingItems.build(options()), notNullValue());
    assertThat(
        TrendingItems.build(
            options("--windowSize=1h", "--windowPeriod=1h", "--topN=1000", "--hotKeyFanout=10000")),
        notNullValue());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--windowSize=soon      | --windowSize: 'soon' is not a duration; use a whole number and a"
            + " unit ms, s, m, h or d (e.g. 30s, 10m, 1h)",
        "--windowPeriod=0m      | --windowPeriod: '0m' must be longer than zero",
        "--windowPeriod=31m     | --windowPeriod: 31m is longer than --windowSize 30m; the period"
            + " must be at most the size",
        "--windowPeriod=1s      | --windowPeriod: 1s puts each click in 1800 windows of"
            + " --windowSize 30m; at most 1000 allowed, use a longer period",
        "--topN=0               | --topN: must be between 1 and 1000, was 0",
        "--topN=1001            | --topN: must be between 1 and 1000, was 1001",
        "--hotKeyFanout=-1      | --hotKeyFanout: must be 0 (off) or between 1 and 10000 sub-keys"
            + " per category, was -1",
        "--hotKeyFanout=10001   | --hotKeyFanout: must be 0 (off) or between 1 and 10000 sub-keys"
            + " per category, was 10001",
        "--numShards=-2         | --numShards: must be 0 (runner decides) or more, was -2",
        "--trigger=early=1m,discarding | --trigger=early=1m,discarding: trending-items takes no"
            + " discarding panes: a pane's new clicks alone do not rank the window's items; leave"
            + " out discarding (panes accumulate: each is the window's result so far)",
      })
  void refusesABadOptionNamingItAndWhatIsAllowed(String flag, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TrendingItems.build(options(flag.trim())));
    assertThat(e.getMessage(), equalTo(message.trim()));
  }

  @Test
  void refusesSaltedSubKeysWithATrigger() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrendingItems.build(options("--hotKeyFanout=8", "--trigger=early=1m")));
    assertThat(
        e.getMessage(),
        equalTo(
            "--hotKeyFanout: salted sub-keys take no --trigger (their partial top lists are"
                + " grouped twice, and an early pane would count each item again); leave out one"
                + " of the two"));
  }
}
