package dev.sluice.runners;

import dev.sluice.testing.conformance.LedgerProjectionConformance;
import java.util.List;

/** The ledger's read model from a batch replay of the event log, on this runner. */
class FlinkLedgerProjectionTest extends LedgerProjectionConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of(
        "--runner=flink",
        "--flinkMaster=[local]",
        "--parallelism=2",
        "--flinkConfDir=" + java.nio.file.Path.of("conf").toAbsolutePath());
  }
}
