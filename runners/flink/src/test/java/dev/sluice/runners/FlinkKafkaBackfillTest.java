package dev.sluice.runners;

import dev.sluice.testing.conformance.KafkaBackfillConformance;
import java.nio.file.Path;
import java.util.List;

/** A bounded Kafka read (backfill) through word-count on FlinkRunner's embedded cluster. */
class FlinkKafkaBackfillTest extends KafkaBackfillConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of(
        "--runner=flink",
        "--flinkMaster=[local]",
        "--parallelism=2",
        "--flinkConfDir=" + Path.of("conf").toAbsolutePath());
  }
}
