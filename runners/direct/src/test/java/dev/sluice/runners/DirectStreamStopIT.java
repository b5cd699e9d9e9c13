package dev.sluice.runners;

import dev.sluice.testing.conformance.StreamStopConformance;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A live stream on the DirectRunner, in its own process, ends on SIGTERM and on SIGINT. */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // start (3 min) and stop (75 s) are bounded within
@ExtendWith(KafkaBrokerExtension.class) // the broker in this JVM
class DirectStreamStopIT extends StreamStopConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=direct");
  }
}
