package dev.sluice.runners;

import dev.sluice.testing.conformance.StreamingConformance;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every job as a live stream over Kafka on the DirectRunner, equal to its model. */
@ExtendWith(KafkaBrokerExtension.class) // the broker in this JVM
class DirectStreamingConformanceTest extends StreamingConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=direct");
  }
}
