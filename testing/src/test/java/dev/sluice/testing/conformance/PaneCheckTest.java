package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pane checks of the triggered stream tests, on hand-written panes of one window. */
class PaneCheckTest {
  private static final String WINDOW =
      "\"window_start\":\"2026-01-01T00:00:00Z\",\"window_end\":\"2026-01-01T00:10:00Z\"";
  private static final Map<String, List<String>> WORDS = Map.of("", List.of("word"));
  private static final String KEY = "{\"word\":\"beam\"," + WINDOW + "}";

  private static String pane(long count, String label, int index, boolean isFinal) {
    return String.format(
        "{\"word\":\"beam\",\"count\":%d,%s,\"pane\":\"%s\",\"pane_index\":%d,\"final\":%s}",
        count, WINDOW, label, index, isFinal);
  }

  private static final String MODEL_LINE = pane(5, "ON_TIME", 0, true);

  @Test
  void accumulatingPanesComeDownToTheLatestAndDiscardingOnesToTheirSum() {
    List<String> accumulating = List.of(pane(2, "EARLY", 0, false), pane(5, "ON_TIME", 1, true));
    List<String> discarding = List.of(pane(2, "EARLY", 0, false), pane(3, "ON_TIME", 1, true));
    assertThat(
        new PaneCheck(WORDS, "count", true, true, false).finalResults("", accumulating),
        contains(MODEL_LINE));
    assertThat(
        new PaneCheck(WORDS, "count", false, true, false).finalResults("", discarding),
        contains(MODEL_LINE));
    assertThat(new PaneCheck(WORDS, "count", true, true, false).problems(accumulating), empty());
  }

  @Test
  void aWindowStillOpenHasNoResultYet() {
    assertThat(
        new PaneCheck(WORDS, "count", true, true, false)
            .finalResults("", List.of(pane(2, "EARLY", 0, false))),
        empty());
  }

  @Test
  void aRepeatedFinalPaneWithItsIndexStartingAgainIsAProblem() {
    // The shape the FlinkRunner gave with allowed lateness (Capabilities refuses it there).
    List<String> panes =
        List.of(
            pane(4, "EARLY", 0, false), pane(0, "ON_TIME", 0, true), pane(0, "ON_TIME", 1, true));
    assertThat(new PaneCheck(WORDS, "count", false, true, true).problems(panes), hasSize(1));
  }

  @Test
  void anAccumulatingCountThatGoesDownOrAnOnTimePaneNotFinalIsAProblem() {
    PaneCheck check = new PaneCheck(WORDS, "count", true, true, false);
    assertThat(
        check.problems(List.of(pane(3, "EARLY", 0, false), pane(2, "ON_TIME", 1, true))),
        hasSize(1));
    assertThat(check.problems(List.of(pane(3, "ON_TIME", 0, false))), hasSize(1));
    assertThat(
        check.problems(List.of(pane(3, "ON_TIME", 0, true), pane(4, "EARLY", 1, false))),
        hasSize(2));
  }

  @Test
  void latePanesAddWhatCameAfterTheOnTimePane() {
    List<String> accumulating =
        List.of(pane(2, "ON_TIME", 0, false), pane(3, "LATE", 1, false), pane(5, "LATE", 2, false));
    List<String> discarding =
        List.of(pane(2, "ON_TIME", 0, false), pane(1, "LATE", 1, false), pane(2, "LATE", 2, false));
    assertThat(
        new PaneCheck(WORDS, "count", true, false, true).lateAdded(accumulating),
        equalTo(Map.of(KEY, 3L)));
    assertThat(
        new PaneCheck(WORDS, "count", false, false, true).lateAdded(discarding),
        equalTo(Map.of(KEY, 3L)));
    assertThat(new PaneCheck(WORDS, "count", true, false, true).problems(accumulating), empty());
    assertThat(
        new PaneCheck(WORDS, "count", true, false, true).finalResults("", accumulating),
        contains(MODEL_LINE));
  }

  @Test
  void anAlertClearedByALatePaneIsNoResult() {
    Map<String, List<String>> keys = Map.of("", List.of("word"), ".alerts", List.of("service"));
    String alert =
        "{\"service\":\"api\",%s\"requests\":%d,"
            + WINDOW
            + ",\"pane\":\"%s\",\"pane_index\":%d,\"final\":%s}";
    List<String> alerts =
        List.of(
            String.format(alert, "", 20, "ON_TIME", 0, false),
            String.format(alert, "\"cleared\":true,", 30, "LATE", 1, false));
    assertThat(
        new PaneCheck(keys, "count", true, false, true).finalResults(".alerts", alerts), empty());
    assertThat(
        new PaneCheck(keys, "count", true, false, true)
            .finalResults(".alerts", alerts.subList(0, 1)),
        contains(String.format(alert, "", 20, "ON_TIME", 0, true)));
  }
}
