package dev.sluice.runners;

import dev.sluice.testing.conformance.StreamStopConformance;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A live stream on the FlinkRunner, in its own process, ends on SIGTERM and on SIGINT. */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // start (3 min) and stop (75 s) are bounded within
@ExtendWith(KafkaBrokerExtension.class) // the broker in this JVM
class FlinkStreamStopIT extends StreamStopConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=flink", "--parallelism=2");
  }

  /** Refused on Flink (a live stream to files, Capabilities): to Kafka. */
  @Override
  protected boolean writesFiles() {
    return false;
  }
}
