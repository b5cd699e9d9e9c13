package dev.sluice.runners;

import dev.sluice.testing.conformance.KafkaBackfillConformance;
import java.util.List;

/** A bounded Kafka read (backfill) through word-count on the DirectRunner. */
class DirectKafkaBackfillTest extends KafkaBackfillConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=direct");
  }
}
