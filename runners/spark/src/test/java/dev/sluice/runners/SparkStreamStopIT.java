package dev.sluice.runners;

import dev.sluice.testing.conformance.StreamStopConformance;
import dev.sluice.testing.kafka.KafkaProcessExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A live stream on the SparkRunner ({@code local[2]}), in its own process, ends on SIGTERM and on
 * SIGINT. The broker runs in its own JVM (this module's classpath cannot hold it).
 */
@ExtendWith(KafkaProcessExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES) // start (3 min) and stop (75 s) are bounded within
class SparkStreamStopIT extends StreamStopConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=spark", "--sparkMaster=local[1]");
  }

  /** Refused before launch: Beam's WriteFiles sets allowed lateness, which Spark streams lack. */
  @Override
  protected boolean writesFiles() {
    return false;
  }
}
