package dev.sluice.runners;

import dev.sluice.testing.conformance.LedgerCommandsConformance;
import java.util.List;

/** The ledger's command side against its reference model, in batch over a file, on this runner. */
class FlinkLedgerCommandsTest extends LedgerCommandsConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of(
        "--runner=flink",
        "--flinkMaster=[local]",
        "--parallelism=2",
        "--flinkConfDir=" + java.nio.file.Path.of("conf").toAbsolutePath());
  }
}
