package dev.sluice.launcher.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WordLinesGeneratorTest {
  private static final GeneratorSettings SETTINGS =
      GeneratorSettings.defaults().withSeed(5).withEvents(3_000).withMalformed(0.02);

  @Test
  void askingForNoLateLinesLeavesTheLinesAsTheyAlwaysWere() {
    GeneratedEvents plain = Generators.named("words").orElseThrow().generate(SETTINGS);
    GeneratedEvents noneLate =
        Generators.named("words")
            .orElseThrow()
            .generate(SETTINGS.withLate(0, Duration.ofMinutes(30)));
    assertThat(noneLate, equalTo(plain));
    assertThat(plain.lateLineNumbers().size(), equalTo(0));
  }

  @Test
  void lateLinesAreMovedBackByTheLateDistanceAndReported() {
    GeneratedEvents events =
        Generators.named("words")
            .orElseThrow()
            .generate(SETTINGS.withLate(0.02, Duration.ofMinutes(30)));
    assertThat(events.lateLineNumbers().size(), greaterThan(20)); // about 2 % of 3 000
    long lateBy = Duration.ofMinutes(30).toMillis();
    for (int n : events.lateLineNumbers()) {
      Long time = events.eventTimes().get(n - 1);
      long base =
          SETTINGS.start().toEpochMilli()
              + SETTINGS.span().toMillis() * (n - 1) / SETTINGS.events();
      if (time == null) {
        continue; // malformed: no time to read
      }
      assertThat("line " + n, time, lessThanOrEqualTo(base - lateBy));
      assertThat(
          "line " + n, time, greaterThanOrEqualTo(base - lateBy - SETTINGS.disorder().toMillis()));
    }
  }
}
