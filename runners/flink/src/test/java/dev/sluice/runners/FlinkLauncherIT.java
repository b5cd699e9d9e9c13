package dev.sluice.runners;

import dev.sluice.testing.conformance.LauncherConformance;

/**
 * {@code ./sluice run word-count --runner=flink}, in its own process, against the reference model.
 */
class FlinkLauncherIT extends LauncherConformance {
  @Override
  protected String runner() {
    return "flink";
  }
}
