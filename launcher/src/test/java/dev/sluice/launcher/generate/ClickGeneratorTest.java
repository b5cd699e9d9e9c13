package dev.sluice.launcher.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;

import dev.sluice.pipelines.trending.ClickEvent;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ClickGeneratorTest {
  private static final GeneratorSettings SETTINGS =
      GeneratorSettings.defaults()
          .withEvents(6_000)
          .withKeys(60)
          .withMalformed(0.05)
          .withLate(0.02, Duration.ofMinutes(30));

  @Test
  void theSameSettingsGiveTheSameRecords() {
    GeneratedEvents a = new ClickGenerator().generate(SETTINGS);
    GeneratedEvents b = new ClickGenerator().generate(SETTINGS);
    assertThat(a, equalTo(b));
    assertThat(a.lines(), hasSize(6_000));
  }

  @Test
  void exactlyTheMalformedLinesAreRefusedInEveryKind() {
    GeneratedEvents events = new ClickGenerator().generate(SETTINGS);
    TreeSet<Integer> refused = new TreeSet<>();
    TreeSet<String> kinds = new TreeSet<>();
    for (int i = 0; i < events.lines().size(); i++) {
      String line = events.lines().get(i);
      try {
        ClickEvent click = ClickEvent.parse(line);
        assertThat(events.keys().get(i), equalTo(click.item()));
        assertThat(events.eventTimes().get(i), equalTo(click.timestampMillis()));
      } catch (InvalidRecordException e) {
        refused.add(i + 1);
        kinds.add(e.kind());
        assertThat(events.eventTimes().get(i), equalTo(e.eventTimeMillis()));
      }
    }
    assertThat(refused, equalTo(events.malformedLineNumbers()));
    assertThat(
        kinds,
        equalTo(
            new TreeSet<>(
                java.util.List.of(
                    "not-json",
                    "not-object",
                    "missing-field",
                    "wrong-type",
                    "bad-timestamp",
                    "empty-value",
                    "too-long"))));
    assertThat(events.lateLineNumbers().size(), greaterThan(60));
  }

  /** Books' least popular item, item-0055, rises: rare in the first tenth, common in the last. */
  @Test
  void theRisingItemClimbs() throws Exception {
    GeneratedEvents events = new ClickGenerator().generate(SETTINGS.withMalformed(0));
    Map<String, Integer> first = new HashMap<>();
    Map<String, Integer> last = new HashMap<>();
    int n = events.lines().size();
    for (int i = 0; i < n; i++) {
      ClickEvent click = ClickEvent.parse(events.lines().get(i));
      if (i < n / 10) {
        first.merge(click.item(), 1, Integer::sum);
      } else if (i >= n - n / 10) {
        last.merge(click.item(), 1, Integer::sum);
      }
    }
    assertThat(first.getOrDefault("item-0055", 0), lessThan(10));
    assertThat(last.getOrDefault("item-0055", 0), greaterThan(last.get("item-0007")));
  }
}
