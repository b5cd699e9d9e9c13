package dev.sluice.runners;

import dev.sluice.testing.conformance.SlidingWordCountConformance;
import java.util.List;

/**
 * The conformance suite on SparkRunner in local[2] (loopback settings from the surefire config).
 */
class SparkConformanceTest extends SlidingWordCountConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=spark", "--sparkMaster=local[2]");
  }
}
