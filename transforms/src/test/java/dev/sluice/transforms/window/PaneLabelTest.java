package dev.sluice.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.junit.jupiter.api.Test;

class PaneLabelTest {
  @Test
  void labelsByTiming() {
    assertThat(
        PaneLabel.of(PaneInfo.createPane(true, false, Timing.EARLY)), equalTo(PaneLabel.EARLY));
    assertThat(PaneLabel.of(PaneInfo.ON_TIME_AND_ONLY_FIRING), equalTo(PaneLabel.ON_TIME));
    assertThat(
        PaneLabel.of(PaneInfo.createPane(false, true, Timing.LATE, 2, 1)), equalTo(PaneLabel.LATE));
  }

  @Test
  void theOnlyPaneOfAWindowWithUnknownTimingIsOnTime() {
    // What Flink emits in batch, where it does not run triggers.
    assertThat(PaneLabel.of(PaneInfo.NO_FIRING), equalTo(PaneLabel.ON_TIME));
  }

  @Test
  void anUnknownPaneThatIsNotTheOnlyOneIsRefused() {
    assertThrows(
        IllegalStateException.class,
        () -> PaneLabel.of(PaneInfo.createPane(true, false, Timing.UNKNOWN)));
  }
}
