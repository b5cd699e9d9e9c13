package dev.sluice.runners;

import dev.sluice.testing.conformance.LauncherConformance;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./sluice run word-count --runner=flink}, in its own process, against the reference model.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // each launcher run is bounded at 5 min
class FlinkLauncherIT extends LauncherConformance {
  @Override
  protected String runner() {
    return "flink";
  }
}
