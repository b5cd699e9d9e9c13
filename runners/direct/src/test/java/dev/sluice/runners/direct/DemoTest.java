package dev.sluice.runners.direct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.generate.AccessLogGenerator;
import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.pipelines.logs.LogAnalyticsModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.ParameterException;

/** The live demo, shortened: what its table shows is what the reference model computes. */
class DemoTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A printed row: window (or blank), service, requests, errors, rate %, p95, clients, mark. */
  private static final Pattern ROW =
      Pattern.compile(
          "^(\\d\\d:\\d\\d-\\d\\d:\\d\\d)?\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+\\.\\d\\d) %"
              + "\\s+(\\d+|-)\\s+(\\d+)\\s*(<< ALERT)?$");

  /** An early line: window, the update's number, requests and errors so far. */
  private static final Pattern EARLY =
      Pattern.compile(
          "^(\\d\\d:\\d\\d-\\d\\d:\\d\\d)\\s+\\(early, update (\\d+)\\)\\s+([\\d,]+) requests so"
              + " far, ([\\d,]+) errors .*");

  @Test
  @Timeout(180)
  void theLiveTableShowsEveryClosedWindowWithTheModelsFigures() throws Exception {
    Demo.Settings settings = new Demo.Settings(10, 1_200, 2026);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Demo.run(
            settings,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed + err.toString(StandardCharsets.UTF_8), code, is(0));

    // What the table shows: window → service → "requests errors rate p95 clients ALERT?"
    Map<String, Map<String, String>> shown = new TreeMap<>();
    String window = null;
    for (String line : printed.lines().toList()) {
      Matcher row = ROW.matcher(line);
      if (!row.matches()) {
        continue;
      }
      if (row.group(1) != null) {
        window = row.group(1);
        // A window printed twice would otherwise overwrite its first printing here.
        assertThat(
            "window " + window + " printed once: " + printed, shown.containsKey(window), is(false));
      }
      String previous =
          shown
              .computeIfAbsent(window, w -> new TreeMap<>())
              .put(
                  row.group(2),
                  String.join(
                          " ",
                          row.group(3),
                          row.group(4),
                          row.group(5),
                          row.group(6),
                          row.group(7),
                          row.group(8) == null ? "" : "ALERT")
                      .strip());
      assertThat(
          "service " + row.group(2) + " shown once in " + window + ": " + printed,
          previous,
          nullValue());
    }
    assertThat(
        "no result line arrives after its window was printed",
        printed,
        not(containsString("arrived after it was printed")));

    // Early results: each window's figures so far come before its final table, and as panes
    // accumulate they never go down, nor exceed the window's final figures.
    List<String> lines = printed.lines().toList();
    Map<String, Integer> tableAt = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher row = ROW.matcher(lines.get(i));
      if (row.matches() && row.group(1) != null) {
        tableAt.put(row.group(1), i);
      }
    }
    Map<String, Long> lastRequests = new TreeMap<>();
    int earlyLines = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher early = EARLY.matcher(lines.get(i));
      if (!early.matches()) {
        continue;
      }
      earlyLines++;
      String w = early.group(1);
      long requests = number(early.group(3));
      assertThat(
          "early line " + i + " before " + w + "'s final table: " + printed,
          i,
          lessThan(tableAt.getOrDefault(w, Integer.MAX_VALUE)));
      assertThat(
          "early requests of " + w + " never go down: " + printed,
          requests,
          greaterThanOrEqualTo(lastRequests.getOrDefault(w, 0L)));
      lastRequests.put(w, requests);
      if (shown.containsKey(w)) {
        long total = 0;
        long errors = 0;
        for (String figures : shown.get(w).values()) {
          String[] f = figures.split(" ");
          total += Long.parseLong(f[0]);
          errors += Long.parseLong(f[1]);
        }
        assertThat(lines.get(i), requests, lessThanOrEqualTo(total));
        assertThat(lines.get(i), number(early.group(4)), lessThanOrEqualTo(errors));
      }
    }
    assertThat("windows show early results: " + printed, earlyLines, greaterThan(0));
    assertThat(
        "some window with a final table had early results first: " + printed,
        lastRequests.keySet().stream().anyMatch(tableAt::containsKey),
        is(true));

    // What the model computes from the same lines, for the windows the input closes.
    GeneratedEvents events = new AccessLogGenerator().generate(settings.generator());
    Map<String, List<String>> model =
        LogAnalyticsModel.compute(
            events.lines(),
            Demo.WINDOW_SIZE,
            Demo.WINDOW_PERIOD,
            Demo.ERROR_RATE_THRESHOLD,
            Demo.MIN_REQUESTS);
    TreeSet<String> alerts = new TreeSet<>();
    for (String line : model.get(".alerts")) {
      JsonNode alert = JSON.readTree(line);
      alerts.add(label(alert) + " " + alert.get("service").asText());
    }
    TreeSet<Long> closable = new TreeSet<>(Demo.closableWindowEnds(events));
    Map<String, Map<String, String>> expected = new TreeMap<>();
    for (String line : model.get("")) {
      JsonNode row = JSON.readTree(line);
      long end = Instant.parse(row.get("window_end").asText()).toEpochMilli();
      if (!row.get("status_class").asText().equals("all") || !closable.contains(end)) {
        continue;
      }
      String service = row.get("service").asText();
      expected
          .computeIfAbsent(label(row), w -> new TreeMap<>())
          .put(
              service,
              String.join(
                      " ",
                      row.get("requests").asText(),
                      row.get("errors").asText(),
                      String.format(Locale.ROOT, "%.2f", row.get("error_rate").asDouble() * 100),
                      row.has("p95_ms") ? row.get("p95_ms").asText() : "-",
                      row.get("distinct_clients").asText(),
                      alerts.contains(label(row) + " " + service) ? "ALERT" : "")
                  .strip());
    }
    assertThat(expected.size(), greaterThan(8)); // an hour of 10-minute windows every 5 minutes
    assertThat(printed, shown, equalTo(expected));
    assertThat("some window raises an alert", printed, containsString("<< ALERT"));
    assertThat(printed, containsString("Still open"));
  }

  private static String parseError(String... args) {
    return Cli.message(assertThrows(ParameterException.class, () -> Demo.parse(args)));
  }

  @Test
  void badArgumentsAreNamed() {
    assertThat(
        parseError("--seconds=2"), containsString("--seconds: 2 is not allowed; use 5 to 600"));
    assertThat(
        parseError("--seconds=soon"), containsString("--seconds: 'soon' is not a whole number"));
    assertThat(
        parseError("--fast"), containsString("unknown flag --fast for demo; allowed: --seconds="));
    assertThat(Demo.parse(new String[0]).seconds(), is(25));
    assertThat(Demo.parse(new String[] {"--seconds=60"}).seconds(), is(60));
  }

  @Test
  void helpPrintsTheUsageAndAnUnknownFlagIsOneLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

    assertThat(Cli.execute(new Demo(), "sluice demo", new String[] {"--help"}, o, e), is(0));
    assertThat(out.toString(StandardCharsets.UTF_8), containsString("Usage: sluice demo "));
    assertThat(out.toString(StandardCharsets.UTF_8), containsString("--seconds=N"));
    assertThat(Cli.execute(new Demo(), "sluice demo", new String[] {"--fast"}, o, e), is(2));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        is("sluice demo: unknown flag --fast for demo; allowed: --seconds=...\n"));
  }

  private static long number(String figure) {
    return Long.parseLong(figure.replace(",", ""));
  }

  private static String label(JsonNode line) {
    return Demo.windowLabel(
        Instant.parse(line.get("window_start").asText()).toEpochMilli(),
        Instant.parse(line.get("window_end").asText()).toEpochMilli());
  }
}
