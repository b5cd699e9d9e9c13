package dev.sluice.pipelines.logs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.sluice.transforms.quality.InvalidRecordException;
import dev.sluice.transforms.window.WindowSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The job's core transform on a runner, against hand-worked answers and against the model. */
@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class AnalyzeTrafficTest {
  private static final DateTimeFormatter CLF_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.ofHours(-7));

  private static List<TimestampedValue<AccessLog>> parsed(List<String> lines) {
    List<TimestampedValue<AccessLog>> logs = new ArrayList<>();
    for (String line : lines) {
      try {
        AccessLog log = AccessLog.parse(line);
        logs.add(TimestampedValue.of(log, log.timestamp()));
      } catch (InvalidRecordException e) {
        // the job sends it to the dead letters; the model skips it
      }
    }
    return logs;
  }

  @Test
  void theHandWorkedExampleGivesItsResultsAndItsOneAlert(TestPipeline p) {
    PCollectionTuple out =
        p.apply(
                Create.timestamped(parsed(LogAnalyticsModelTest.INPUT))
                    .withCoder(AccessLog.Coder.of()))
            .apply(
                new LogAnalytics.AnalyzeTraffic(
                    WindowSpec.sliding(Duration.standardMinutes(2), Duration.standardMinutes(1)),
                    0.4,
                    2));
    PAssert.that(out.get(LogAnalytics.AnalyzeTraffic.RESULTS))
        .containsInAnyOrder(LogAnalyticsModelTest.EXPECTED);
    PAssert.that(out.get(LogAnalytics.AnalyzeTraffic.ALERTS))
        .containsInAnyOrder(LogAnalyticsModelTest.EXPECTED_ALERTS);
    p.run().waitUntilFinish();
  }

  /**
   * 800 requests over 20 minutes in all three formats, out of order, with bursts of 5xx, arriving
   * as a stream in four batches while the watermark follows: every window fires once, on time, with
   * what the model computes.
   */
  @Test
  void aStreamInBatchesEqualsTheModel(TestPipeline p) {
    List<String> lines = randomLines(800, 7);
    Map<String, List<String>> expected =
        LogAnalyticsModel.compute(
            lines, Duration.standardMinutes(5), Duration.standardMinutes(1), 0.1, 15);
    assertThat("the bursts raise alerts", expected.get(".alerts"), is(not(empty())));

    List<TimestampedValue<AccessLog>> logs = parsed(lines);
    TestStream.Builder<AccessLog> stream = TestStream.create(AccessLog.Coder.of());
    long maxSeen = Long.MIN_VALUE;
    for (int batch = 0; batch < 4; batch++) {
      List<TimestampedValue<AccessLog>> part =
          logs.subList(batch * logs.size() / 4, (batch + 1) * logs.size() / 4);
      for (TimestampedValue<AccessLog> log : part) {
        maxSeen = Math.max(maxSeen, log.getTimestamp().getMillis());
      }
      stream =
          stream
              .addElements(
                  part.get(0), part.subList(1, part.size()).toArray(TimestampedValue[]::new))
              // records are at most 1 minute out of order: the watermark stays that far behind
              .advanceWatermarkTo(new org.joda.time.Instant(maxSeen - 61_000));
    }
    PCollectionTuple out =
        p.apply(stream.advanceWatermarkToInfinity())
            .apply(
                new LogAnalytics.AnalyzeTraffic(
                    WindowSpec.sliding(Duration.standardMinutes(5), Duration.standardMinutes(1)),
                    0.1,
                    15));
    PCollection<String> results = out.get(LogAnalytics.AnalyzeTraffic.RESULTS);
    PAssert.that(results).containsInAnyOrder(expected.get(""));
    PAssert.that(out.get(LogAnalytics.AnalyzeTraffic.ALERTS))
        .containsInAnyOrder(expected.get(".alerts"));
    p.run().waitUntilFinish();
  }

  /**
   * With early results on, an early pane's error rate is a guess: two 5xx responses make it 1.0,
   * over the threshold, but the window's final rate (two 200s later) is 0.5, under it. No alert may
   * stand for that window. Direct only: how many early panes fire by count depends on the bundles.
   */
  @Test
  @Tag("direct-only")
  void alertsWaitForTheOnTimePaneWhileEarlyRatesAreGuesses(TestPipeline p) {
    TestStream<AccessLog> stream =
        TestStream.create(AccessLog.Coder.of())
            .addElements(request(30, 500), request(31, 503))
            .addElements(request(40, 200), request(41, 200))
            .advanceWatermarkToInfinity();
    PCollectionTuple out =
        p.apply(stream).apply(new LogAnalytics.AnalyzeTraffic(triggered("early=2"), 0.6, 2));
    PAssert.that(out.get(LogAnalytics.AnalyzeTraffic.ALERTS)).empty();
    PAssert.that(out.get(LogAnalytics.AnalyzeTraffic.RESULTS))
        .satisfies(
            lines -> {
              List<String> all = new ArrayList<>();
              lines.forEach(l -> all.add(l));
              assertThat(
                  "an early pane saw only the errors",
                  all.stream()
                      .anyMatch(
                          l ->
                              l.contains("\"status_class\":\"all\"")
                                  && l.contains("\"error_rate\":1.0")
                                  && l.contains("\"pane\":\"EARLY\"")),
                  is(true));
              assertThat(
                  "both windows end with all four requests",
                  all.stream()
                      .filter(
                          l ->
                              l.contains("\"status_class\":\"all\"")
                                  && l.contains("\"final\":true"))
                      .filter(l -> l.contains("\"requests\":4,\"errors\":2,\"error_rate\":0.5"))
                      .count(),
                  is(2L));
              return null;
            });
    p.run().waitUntilFinish();
  }

  /**
   * With an allowed lateness, late 200s that bring a window's error rate back under the threshold
   * withdraw its on-time alert: the LATE pane writes the alert line with {@code "cleared":true}
   * under the same key. Direct only: Flink and Spark count such TestStream elements on time.
   */
  @Test
  @Tag("direct-only")
  void lateRequestsThatLowerTheRateClearTheOnTimeAlert(TestPipeline p) {
    List<TimestampedValue<AccessLog>> late = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      late.add(request(40 + i, 200));
    }
    TestStream<AccessLog> stream =
        TestStream.create(AccessLog.Coder.of())
            .addElements(request(30, 500), request(31, 200))
            .advanceWatermarkTo(
                new org.joda.time.Instant(
                    Instant.parse("2026-03-01T12:03:00Z").toEpochMilli())) // both windows close
            .addElements(late.get(0), late.subList(1, late.size()).toArray(TimestampedValue[]::new))
            .advanceWatermarkToInfinity();
    PCollectionTuple out =
        p.apply(stream).apply(new LogAnalytics.AnalyzeTraffic(triggered("lateness=30m"), 0.1, 2));
    PAssert.that(out.get(LogAnalytics.AnalyzeTraffic.ALERTS))
        .satisfies(
            lines -> {
              List<String> all = new ArrayList<>();
              lines.forEach(all::add);
              assertThat(all.toString(), all.size(), is(4));
              for (String pane : List.of("ON_TIME", "LATE")) {
                assertThat(
                    all.toString(),
                    all.stream()
                        .filter(l -> l.contains("\"pane\":\"" + pane + "\""))
                        .filter(
                            l ->
                                pane.equals("LATE")
                                    ? l.startsWith(
                                        "{\"service\":\"api\",\"alert\":\"error-rate\","
                                            + "\"cleared\":true,\"requests\":11,\"errors\":1,")
                                    : l.startsWith(
                                        "{\"service\":\"api\",\"alert\":\"error-rate\","
                                            + "\"requests\":2,\"errors\":1,"))
                        .count(),
                    is(2L));
              }
              return null;
            });
    p.run().waitUntilFinish();
  }

  /** Windows of 2 minutes every minute with {@code --trigger=<trigger>}, as the job builds them. */
  private static WindowSpec triggered(String trigger) {
    return WindowSpec.sliding(Duration.standardMinutes(2), Duration.standardMinutes(1))
        .accumulatingPanes()
        .withTrigger("--trigger", trigger);
  }

  private static TimestampedValue<AccessLog> request(int second, int status) {
    long ts = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli() + second * 1000L;
    return parsed(
            List.of(
                String.format(
                    "{\"ts\":%d,\"service\":\"api\",\"client\":\"c%d\",\"status\":%d}",
                    ts, second, status)))
        .get(0);
  }

  /** Lines like real logs: three services, 150 clients, some 5xx bursts, some without latency. */
  static List<String> randomLines(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] services = {"api", "shop", "img"};
    long start = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = start + 20 * 60_000L * i / n - random.nextLong(60_000);
      t -= t % 1000; // Common Log Format has whole seconds
      String service = services[random.nextInt(services.length) * random.nextInt(2)];
      String client = "192.0.2." + random.nextInt(150);
      boolean burst = service.equals("shop") && (t - start) / 60_000 % 7 == 3;
      int status =
          random.nextInt(100) < (burst ? 40 : 3)
              ? 500 + random.nextInt(4)
              : new int[] {200, 200, 200, 201, 304, 404}[random.nextInt(6)];
      int latencyMs = 1 + random.nextInt(300);
      boolean timed = random.nextInt(10) != 0;
      switch (random.nextInt(3)) {
        case 0:
          lines.add(
              String.format(
                  "%s - - [%s] \"GET /%s/items/%d HTTP/1.1\" %d %d%s",
                  client,
                  CLF_TIME.format(Instant.ofEpochMilli(t)),
                  service,
                  i,
                  status,
                  100 + i,
                  timed ? " " + (latencyMs * 1000 + random.nextInt(1000)) : ""));
          break;
        case 1:
          lines.add(
              String.format(
                  "%s - - [%s] \"POST /%s HTTP/2.0\" %d - \"-\" \"agent/%d\"%s",
                  client,
                  CLF_TIME.format(Instant.ofEpochMilli(t)),
                  service,
                  status,
                  i % 3,
                  timed ? " " + latencyMs * 1000 : ""));
          break;
        default:
          lines.add(
              String.format(
                  "{\"ts\":%d,\"service\":\"%s\",\"client\":\"%s\",\"status\":%d%s}",
                  t, service, client, status, timed ? ",\"latency_ms\":" + latencyMs + ".5" : ""));
      }
    }
    lines.add("{\"ts\": broken");
    return lines;
  }
}
