package dev.sluice.runners;

import dev.sluice.testing.conformance.SlidingWordCountConformance;
import java.util.List;

/** The conformance suite on the DirectRunner. */
class DirectConformanceTest extends SlidingWordCountConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=direct");
  }
}
