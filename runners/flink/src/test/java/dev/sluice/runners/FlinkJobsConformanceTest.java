package dev.sluice.runners;

import dev.sluice.testing.conformance.JobsConformance;
import java.util.List;

/** Every job against its reference model, in batch over files, on this runner. */
class FlinkJobsConformanceTest extends JobsConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of(
        "--runner=flink",
        "--flinkMaster=[local]",
        "--parallelism=2",
        "--flinkConfDir=" + java.nio.file.Path.of("conf").toAbsolutePath());
  }
}
