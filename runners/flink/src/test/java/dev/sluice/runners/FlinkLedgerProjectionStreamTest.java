package dev.sluice.runners;

import dev.sluice.testing.conformance.LedgerProjectionStreamConformance;
import java.util.List;

/** The ledger's read model kept by a live projection of the event log, on this runner. */
class FlinkLedgerProjectionStreamTest extends LedgerProjectionStreamConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=flink", "--parallelism=2");
  }
}
