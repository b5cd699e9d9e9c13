package dev.sluice.runners;

import dev.sluice.testing.conformance.JobsConformance;
import java.util.List;

/** Every job against its reference model, in batch over files, on this runner. */
class SparkJobsConformanceTest extends JobsConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=spark", "--sparkMaster=local[2]");
  }
}
