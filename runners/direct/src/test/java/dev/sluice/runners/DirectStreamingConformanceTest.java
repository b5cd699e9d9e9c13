package dev.sluice.runners;

import dev.sluice.testing.conformance.StreamingConformance;
import java.util.List;

/** Every job as a live stream over Kafka on the DirectRunner, equal to its model. */
class DirectStreamingConformanceTest extends StreamingConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=direct");
  }
}
