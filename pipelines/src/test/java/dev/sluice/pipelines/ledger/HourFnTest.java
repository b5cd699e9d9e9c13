package dev.sluice.pipelines.ledger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

/** The hourly history's combiner is total: a pane without events is an empty hour, no row. */
class HourFnTest {
  @Test
  void anHourWithoutEventsIsEmptyInsteadOfAFailure() {
    LedgerProjection.HourFn fn = new LedgerProjection.HourFn();
    // Flink asks for this when it reads the combining state of a window that holds nothing.
    assertThat(fn.extractOutput(fn.createAccumulator()), equalTo(LedgerProjection.Hour.EMPTY));
  }
}
