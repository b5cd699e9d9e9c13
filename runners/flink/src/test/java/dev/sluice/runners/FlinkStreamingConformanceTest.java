package dev.sluice.runners;

import dev.sluice.testing.conformance.StreamingConformance;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every job as a live stream over Kafka on the FlinkRunner in this JVM ({@code [local]},
 * parallelism 2), equal to its model.
 */
@ExtendWith(KafkaBrokerExtension.class) // the broker in this JVM
class FlinkStreamingConformanceTest extends StreamingConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=flink", "--parallelism=2");
  }

  /**
   * Refused: in 2 of about 20 runs a streaming file output on Flink {@code [local]} kept a finished
   * temporary file that Beam's WriteFiles never renamed into place (the other outputs of the same
   * run were complete), so results went missing without an error; the launcher refuses a live
   * stream to files on Flink until the cause is found (docs/runners.md).
   */
  @Override
  protected boolean writesFiles() {
    return false;
  }

  /** So the launcher refuses a live stream to files on Flink (Capabilities). */
  @Override
  protected String filesRefusal() {
    return "file output of a live stream (step ";
  }

  @Override
  protected String triggerRefusal(String job, String trigger) {
    return latenessRefusal(trigger);
  }

  /**
   * Refused: allowed lateness in sliding windows gave wrong panes on Flink (Capabilities,
   * docs/runners.md).
   */
  static String latenessRefusal(String trigger) {
    return trigger.contains("lateness=") ? "allowed lateness (step " : null;
  }
}
