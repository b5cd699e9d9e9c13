package dev.sluice.launcher.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.pipelines.logs.AccessLog;
import dev.sluice.pipelines.logs.LogAnalyticsModel;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AccessLogGeneratorTest {
  private static final GeneratorSettings SETTINGS =
      GeneratorSettings.defaults()
          .withSeed(5)
          .withEvents(5_000)
          .withKeys(8)
          .withLate(0.02, Duration.ofMinutes(30))
          .withMalformed(0.05);

  private static final GeneratedEvents EVENTS = new AccessLogGenerator().generate(SETTINGS);

  @Test
  void theSameSettingsGiveTheSameLines() {
    assertThat(new AccessLogGenerator().generate(SETTINGS), equalTo(EVENTS));
    assertThat(
        new AccessLogGenerator().generate(SETTINGS.withSeed(6)).lines(),
        not(equalTo(EVENTS.lines())));
  }

  @Test
  void exactlyTheMalformedLinesAreRefusedInManyWays() {
    Set<String> kinds = new TreeSet<>();
    Set<AccessLog.Format> formats = new HashSet<>();
    for (int i = 0; i < EVENTS.lines().size(); i++) {
      String line = EVENTS.lines().get(i);
      if (EVENTS.malformedLineNumbers().contains(i + 1)) {
        InvalidRecordException e =
            assertThrows(InvalidRecordException.class, () -> AccessLog.parse(line), line);
        kinds.add(e.kind());
      } else {
        try {
          formats.add(AccessLog.parse(line).format());
        } catch (InvalidRecordException e) {
          throw new AssertionError("line " + (i + 1) + " should parse: " + line, e);
        }
      }
    }
    assertThat(
        kinds,
        equalTo(
            Set.of(
                "not-a-log-line",
                "not-json",
                "missing-field",
                "wrong-type",
                "empty-field",
                "bad-timestamp",
                "bad-request",
                "out-of-range")));
    assertThat(formats.size(), is(3));
    assertThat(EVENTS.malformedLineNumbers().size(), greaterThan(150)); // about 5 % of 5 000
  }

  @Test
  void eventTimesKeysAndLateLinesAreReported() throws Exception {
    int withoutTime = 0;
    for (int i = 0; i < EVENTS.lines().size(); i++) {
      String line = EVENTS.lines().get(i);
      org.joda.time.Instant t = AccessLog.timestampOrNull(line);
      assertThat(EVENTS.eventTimes().get(i), equalTo(t == null ? null : t.getMillis()));
      if (t == null) {
        withoutTime++;
      }
      if (!EVENTS.malformedLineNumbers().contains(i + 1)) {
        assertThat(EVENTS.keys().get(i), equalTo(AccessLog.parse(line).service()));
      }
    }
    assertThat(withoutTime, greaterThan(0));
    assertThat(EVENTS.lateLineNumbers().size(), greaterThan(50)); // about 2 % of 5 000
  }

  @Test
  void fewEnoughClientsForExactCountsAndBurstsThatRaiseAlerts() throws Exception {
    Set<String> clients = new HashSet<>();
    Map<String, Integer> perService = new TreeMap<>();
    for (String line : EVENTS.lines()) {
      try {
        AccessLog log = AccessLog.parse(line);
        clients.add(log.client());
        perService.merge(log.service(), 1, Integer::sum);
      } catch (InvalidRecordException e) {
        // malformed on purpose
      }
    }
    assertThat(clients.size(), lessThanOrEqualTo(AccessLogGenerator.CLIENTS));
    assertThat(perService.keySet(), hasItems("api", "shop", "search"));
    assertThat(perService.get("api"), greaterThan(perService.get("search"))); // Zipf
    Map<String, java.util.List<String>> model =
        LogAnalyticsModel.compute(
            EVENTS.lines(),
            org.joda.time.Duration.standardMinutes(5),
            org.joda.time.Duration.standardMinutes(1),
            0.05,
            20);
    assertThat(model.get(".alerts"), is(not(empty())));
  }
}
