package dev.sluice.runners;

import dev.sluice.testing.conformance.SlidingWordCountConformance;
import java.nio.file.Path;
import java.util.List;

/** The conformance suite on FlinkRunner's embedded [local] cluster, bound to loopback. */
class FlinkConformanceTest extends SlidingWordCountConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of(
        "--runner=flink",
        "--flinkMaster=[local]",
        "--parallelism=2",
        "--flinkConfDir=" + Path.of("conf").toAbsolutePath());
  }
}
