package dev.sluice.runners;

import dev.sluice.testing.conformance.KafkaProcessExtension;
import dev.sluice.testing.conformance.StreamingConformance;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.spark.io.MicrobatchSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every job as a live stream over Kafka on the SparkRunner in this JVM on one core ({@code
 * local[1]}: on more, every job is refused, {@link SparkParallelStreamRefusalTest}): each is
 * refused before launch, for what was measured before the refusals (below), and so is a live stream
 * to files. The broker runs in its own JVM: this module's classpath cannot hold it (Scala 2.12 vs
 * the broker's 2.13).
 */
@ExtendWith(KafkaProcessExtension.class)
class SparkStreamingConformanceTest extends StreamingConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=spark", "--sparkMaster=local[1]");
  }

  /** Refused before launch: Beam's WriteFiles sets allowed lateness, which Spark streams lack. */
  @Override
  protected boolean writesFiles() {
    return false;
  }

  @Override
  protected String filesRefusal() {
    return "allowed lateness (step ";
  }

  /**
   * Not proven: measured before the refusal, on {@code local[1]}, 3 minutes after the last burst:
   * trending-items had written none of its 101 closed-window results, iot-sensors none of 622,
   * risk-control lacked 42 of 184 (the first hour's windows; none wrong); log-analytics was not
   * measured (its run broke on a jar replaced under it); word-count gave exactly the model's (3
   * runs of 3) but, with 3 % of its records fed 20 minutes late, lacked 298 of its 657
   * closed-window results (all 39 late records were dead letters, counted).
   */
  @Override
  protected Map<String, String> refusedJobs() {
    return Map.of(
        "risk-control", notProven("risk-control"),
        "trending-items", notProven("trending-items"),
        "iot-sensors", notProven("iot-sensors"),
        "log-analytics", notProven("log-analytics"),
        "word-count", notProven("word-count"),
        // Beam's capability matrix: no state or timers in Spark streaming (Capabilities).
        "ledger-commands", "stateful processing/timers (step");
  }

  @Override
  protected String triggerRefusal(String job, String trigger) {
    return sparkTriggerRefusal(trigger, notProven(job));
  }

  /**
   * Beam's capability matrix, checked first: no allowed lateness and no accumulating panes in Spark
   * streaming; otherwise {@code windowsRefusal}, word-count's own.
   */
  static String sparkTriggerRefusal(String trigger, String windowsRefusal) {
    if (trigger.contains("lateness=")) {
      return "allowed lateness (step ";
    }
    return trigger.contains("discarding") ? windowsRefusal : "accumulating panes (step ";
  }

  private static String notProven(String job) {
    return "a live stream of " + job + " (windows from step ";
  }

  /**
   * Beam's Spark runner keeps each stopped stream's Kafka readers, and their non-daemon poll
   * threads, in a static cache: close them, or this JVM cannot end (the launcher's exits anyway).
   */
  @Override
  protected void streamEnded() {
    MicrobatchSource.clearCache();
  }
}
