package dev.sluice.runners;

import dev.sluice.testing.conformance.LauncherConformance;

/**
 * {@code ./sluice run word-count --runner=spark}, in its own process, against the reference model.
 */
class SparkLauncherIT extends LauncherConformance {
  @Override
  protected String runner() {
    return "spark";
  }
}
