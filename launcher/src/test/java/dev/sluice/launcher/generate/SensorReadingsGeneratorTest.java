package dev.sluice.launcher.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.sluice.pipelines.iot.SensorReading;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SensorReadingsGeneratorTest {
  private static final GeneratorSettings SETTINGS =
      GeneratorSettings.defaults()
          .withEvents(3_000)
          .withKeys(8)
          .withMalformed(0.05)
          .withLate(0.02, Duration.ofMinutes(30));

  private final GeneratedEvents events = new SensorReadingsGenerator().generate(SETTINGS);

  @Test
  void theSameSettingsGiveTheSameRecords() {
    assertThat(new SensorReadingsGenerator().generate(SETTINGS), equalTo(events));
    assertThat(
        new SensorReadingsGenerator().generate(SETTINGS.withSeed(7)).lines().equals(events.lines()),
        is(false));
  }

  @Test
  void exactlyTheMalformedLinesAreRefusedAndTheOthersCarryTheirTimeAndDevice() {
    Set<String> kinds = new TreeSet<>();
    for (int i = 0; i < events.lines().size(); i++) {
      String line = events.lines().get(i);
      boolean malformed = events.malformedLineNumbers().contains(i + 1);
      try {
        SensorReading r = SensorReading.parse(line);
        assertThat(line, malformed, is(false));
        assertThat(line, events.eventTimes().get(i), is(r.timestampMillis()));
        assertThat(line, events.keys().get(i), is(r.device()));
      } catch (InvalidRecordException e) {
        assertThat(line + ": " + e.getMessage(), malformed, is(true));
        kinds.add(e.kind());
        if (e.eventTimeMillis() == null) {
          assertThat(line, events.eventTimes().get(i), nullValue());
        } else {
          assertThat(line, events.eventTimes().get(i), is(e.eventTimeMillis()));
        }
      }
    }
    assertThat(events.malformedLineNumbers().size(), greaterThan(100)); // about 5 % of 3 000
    assertThat(
        kinds,
        equalTo(
            new TreeSet<>(
                Set.of(
                    "not-json",
                    "not-object",
                    "missing-field",
                    "bad-timestamp",
                    "bad-device",
                    "wrong-type",
                    "not-finite",
                    "out-of-range"))));
  }

  @Test
  void devicesAreSkewedAndEveryOneReports() {
    long first = events.keys().stream().filter("dev-001"::equals).count();
    long last = events.keys().stream().filter("dev-008"::equals).count();
    assertThat(first, greaterThan(3 * last));
    assertThat(last, greaterThan(0L));
    assertThat(events.lateLineNumbers().size(), greaterThan(20)); // about 2 % of 3 000
    assertThat(events.lines(), hasSize(3_000));
  }
}
