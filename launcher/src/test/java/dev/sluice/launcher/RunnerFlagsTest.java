package dev.sluice.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A live stream on Flink is checkpointed and submitted detached unless the user says otherwise, and
 * the launch says so; bounded inputs, other runners and a user's own interval (even -1, off) are
 * left alone. Nothing connects: the flags are only completed.
 */
class RunnerFlagsTest {
  private static final String LIVE = "--input=kafka://127.0.0.1:9/events?out-of-order=30s";

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private List<String> prepare(String... flags) {
    return Arrays.asList(
        RunnerFlags.prepare(flags, new PrintStream(err, true, StandardCharsets.UTF_8)));
  }

  private String said() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLiveKafkaInputOnFlinkIsCheckpointedAndTheLaunchSaysSo() {
    List<String> flags = prepare("--runner=flink", LIVE);
    assertThat(flags, hasItem("--checkpointingInterval=10000"));
    assertThat("run() returns while the stream runs", flags, hasItem("--attachedMode=false"));
    assertThat(
        said(),
        equalTo(
            "sluice: a live stream on Flink: checkpoints every 10 s (--checkpointingInterval=10000;"
                + " set it to change, -1 to turn them off)\n"));
  }

  @Test
  void theUsersIntervalStandsEvenOff() {
    List<String> flags = prepare("--runner=FlinkRunner", LIVE, "--checkpointingInterval=-1");
    assertThat(
        flags.stream().filter(f -> f.startsWith("--checkpointingInterval")).count(), equalTo(1L));
    assertThat(said(), emptyString());
  }

  @Test
  void boundedInputsAndOtherRunnersGetNoCheckpoints() {
    assertThat(
        prepare("--runner=flink", "--input=kafka://127.0.0.1:9/events?stop=now"),
        not(hasItem("--checkpointingInterval=10000")));
    assertThat(
        prepare("--runner=flink", "--input=file:events.jsonl"),
        not(hasItem("--checkpointingInterval=10000")));
    assertThat(prepare("--runner=direct", LIVE), not(hasItem("--checkpointingInterval=10000")));
    assertThat(said(), emptyString());
  }
}
