package dev.sluice.pipelines.iot;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad option is refused before anything runs, naming the flag, the value and the rule. */
class SensorMonitoringOptionsTest {
  @TempDir static Path dir;

  private static SensorMonitoring.Options options(String... flags) throws IOException {
    Path input = dir.resolve("in.jsonl");
    if (!Files.exists(input)) {
      Files.writeString(input, "{\"ts\":0,\"device\":\"d\",\"value\":1}\n");
    }
    String[] args = new String[flags.length + 2];
    args[0] = "--input=file:" + input;
    args[1] = "--output=file:" + dir.resolve("out");
    System.arraycopy(flags, 0, args, 2, flags.length);
    return PipelineOptionsFactory.fromArgs(args).as(SensorMonitoring.Options.class);
  }

  @Test
  void theDefaultsBuild() throws IOException {
    SensorMonitoring.Options o = options();
    assertThat(o.getWindowSize(), is("10m"));
    assertThat(o.getWindowPeriod(), is("1m"));
    assertThat(o.getPartitions(), is(4));
    assertThat(o.getAnomalyFactor(), is(4.0));
    assertThat(o.getMinBaselineReadings(), is(10));
    SensorMonitoring.build(o);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--windowSize=ten        | --windowSize: 'ten' is not a duration",
        "--windowPeriod=0m       | --windowPeriod: '0m' must be longer than zero",
        "--windowPeriod=11m      | --windowPeriod: 11m is longer than --windowSize 10m",
        "--partitions=0          | --partitions: must be between 1 and 10000, was 0",
        "--partitions=10001      | --partitions: must be between 1 and 10000, was 10001",
        "--anomalyFactor=0       | --anomalyFactor: must be a finite number above 0 (standard"
            + " deviations), was 0.0",
        "--anomalyFactor=-2      | --anomalyFactor: must be a finite number above 0",
        "--anomalyFactor=NaN     | --anomalyFactor: must be a finite number above 0",
        "--minBaselineReadings=1 | --minBaselineReadings: must be at least 2",
        "--numShards=-1          | --numShards: must be 0 (runner decides) or more, was -1",
        "--deadLetters=kafka://nohost | --deadLetters",
        "--trigger=early=1m,discarding | --trigger=early=1m,discarding: iot-sensors takes no"
            + " discarding panes",
        "--trigger=size=5m       | --trigger=size=5m: unknown key 'size'",
        "--trigger=late=each     | --trigger=late=each: late=each needs lateness greater than zero",
      })
  void aBadOptionIsRefusedByName(String flag, String message) throws IOException {
    SensorMonitoring.Options options = options(flag);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SensorMonitoring.build(options));
    assertThat(e.getMessage(), startsWith(message));
  }
}
