package dev.sluice.pipelines.logs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The job's options: defaults, and every bad value refused before anything runs. */
class LogAnalyticsTest {
  @TempDir static Path dir;

  @BeforeAll
  static void writeInput() throws Exception {
    Files.write(dir.resolve("in.jsonl"), List.of(LogAnalyticsModelTest.INPUT.get(0)));
  }

  private static LogAnalytics.Options options(String... flags) {
    String[] all = new String[flags.length + 2];
    all[0] = "--input=file:" + dir.resolve("in.jsonl");
    all[1] = "--output=file:" + dir.resolve("out");
    System.arraycopy(flags, 0, all, 2, flags.length);
    return PipelineOptionsFactory.fromArgs(all).as(LogAnalytics.Options.class);
  }

  @Test
  void theDefaultsAreFiveMinuteWindowsEveryMinuteAndFivePercentOfTwentyRequests() {
    LogAnalytics.Options options = options();
    assertThat(options.getWindowSize(), equalTo("5m"));
    assertThat(options.getWindowPeriod(), equalTo("1m"));
    assertThat(options.getErrorRateThreshold(), equalTo(0.05));
    assertThat(options.getMinRequests(), equalTo(20));
    assertThat(LogAnalytics.build(options), notNullValue());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "--windowSize=five| --windowSize: 'five' is not a duration",
        "--windowPeriod=0m| --windowPeriod: '0m' must be longer than zero",
        "--windowPeriod=10m| --windowPeriod: 10m is longer than --windowSize 5m",
        "--errorRateThreshold=0| --errorRateThreshold: 0.0 is not allowed; use a share of requests"
            + " in (0, 1]",
        "--errorRateThreshold=1.5| --errorRateThreshold: 1.5 is not allowed",
        "--errorRateThreshold=NaN| --errorRateThreshold: NaN is not allowed",
        "--minRequests=0| --minRequests: 0 is not allowed; use 1 or more",
        "--numShards=-1| --numShards: must be 0 (runner decides) or more, was -1",
      })
  void aBadOptionIsRefusedWithTheFlagTheValueAndWhatIsAllowed(String flag, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LogAnalytics.build(options(flag.trim())));
    assertThat(e.getMessage(), org.hamcrest.Matchers.startsWith(message.trim()));
  }
}
