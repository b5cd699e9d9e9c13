package dev.sluice.testing.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.startsWith;

import dev.sluice.launcher.Sluice;
import dev.sluice.launcher.template.Template;
import dev.sluice.launcher.template.Template.Mode;
import dev.sluice.launcher.template.Template.Parameter;
import dev.sluice.launcher.template.TemplateParameters;
import dev.sluice.launcher.template.Templates;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.OutputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parameter of every checked-in template (templates/*.json) refuses bad values before launch:
 * through {@code ./sluice template run} ({@link Sluice#run}), each ends in exit 2 with a message
 * naming the template, the parameter and what is allowed, and nothing written. A value the
 * template's own checks (type, pattern, allowed values, required) let through but the job refuses
 * (a range, a file that is not there) is refused by the job, with the template named. {@link
 * #everyParameterOfEveryTemplateHasABadValueCase} fails when a parameter has no row.
 */
class BadTemplateParametersTest {
  private static final Path TEMPLATES = Path.of("..", "templates");
  private static final String DURATION = "expected a duration";

  /**
   * The table: parameter (in every template that declares it), bad value (null: left out), fragment
   * of what is allowed. {@code $TMP} stands for the test's folder.
   */
  private static final List<Row> TABLE =
      List.of(
          row("source", null, "parameter source is required"),
          row("source", "s3://bucket/in.jsonl", "is not a uri; expected a file: path"),
          row("source", "/data/in.jsonl", "is not a uri; expected a file: path"),
          row("source", "kafka://nohost/t", "is not a valid Kafka location"),
          echo(
              "source",
              "kafka://127.0.0.1:9092/t",
              "has no stop=; a batch run reads",
              "input kafka://127.0.0.1:9092/t"),
          echo("source", "file:$TMP/missing-*.jsonl", "no file matches", "missing-*.jsonl"),
          row("output", null, "parameter output is required"),
          row("output", "s3://bucket/out", "is not a uri; expected a file: path"),
          row("output", "kafka://127.0.0.1:9092/no topic!", "is not a valid Kafka location"),
          row("output", "file:", "names no path"),
          row("windowSize", "ten", DURATION),
          row("windowSize", "0m", DURATION),
          row("windowSize", "", "is empty; expected a duration"),
          row("windowPeriod", "1 minute", DURATION),
          row("windowPeriod", "2d", "the period must be at most the size"),
          row("bootstrap", "localhost", "does not match the pattern"),
          row("bootstrap", "a:1,b:2", "does not match the pattern"),
          echo("bootstrap", "127.0.0.1:99999", "a port is 1 to 65535", "99999"),
          row("topic", null, "parameter topic is required"),
          row("topic", "no topic!", "does not match the pattern"),
          row("topic", "", "does not match the pattern"),
          row("outOfOrder", "soon", DURATION),
          row("outOfOrder", "0s", DURATION),
          row("idle", "-10s", DURATION),
          row("stop", "later", "does not match the pattern"),
          echo("stop", "2026-xx", "allowed: now, an offset", "stop=2026-xx"),
          row("from", null, "parameter from is required"),
          row("from", "yesterday", "is not a time; expected an ISO-8601 instant"),
          echo(
              "from",
              "2026-01-03T00:00:00Z",
              "the start must be at or before the stop",
              "start=2026-01-03T00:00:00Z"),
          row("to", null, "parameter to is required"),
          row("to", "2026-13-01T00:00:00Z", "is not a time; expected an ISO-8601 instant"),
          row("trigger", "early=1m;drop", "does not match the pattern"),
          row("trigger", "late=each", "needs lateness greater than zero"),
          row("allowedLateness", "soon", "does not match the pattern"),
          row("allowedLateness", "-1m", "does not match the pattern"),
          row("partitions", "four", "is not an int; expected a whole number"),
          row("partitions", "0", "does not match the pattern"),
          row("partitions", "10001", "between 1 and 10000"),
          row("anomalyFactor", "big", "is not a double"),
          row("anomalyFactor", "NaN", "expected a finite number"),
          echo("anomalyFactor", "0", "finite number above 0", "was 0.0"),
          echo("anomalyFactor", "-1", "finite number above 0", "was -1.0"),
          row("minBaselineReadings", "0", "does not match the pattern"),
          row("minBaselineReadings", "1", "at least 2"),
          row("errorRateThreshold", "five", "is not a double"),
          row("errorRateThreshold", "1.5", "does not match the pattern"),
          echo("errorRateThreshold", "0", "in (0, 1]", "0.0"),
          row("minRequests", "x", "is not an int"),
          row("minRequests", "-1", "does not match the pattern"),
          row("minRequests", "0", "1 or more"),
          row("maxTxnsPerCard", "0", "does not match the pattern"),
          row("maxTxnsPerCard", "x", "is not an int"),
          row("maxTxnsPerCard", "99999999999", "a whole number up to 2147483647"),
          row("amountFactor", "Infinity", "expected a finite number"),
          echo("amountFactor", "0", "finite number more than 0", "was 0.0"),
          echo("amountFactor", "-2", "finite number more than 0", "was -2.0"),
          row("maxPlaces", "0", "does not match the pattern"),
          row("maxPlaces", "three", "is not an int"),
          row("accounts", "s3://bucket/accounts", "does not match the pattern"),
          row("accounts", "file:$TMP/no-accounts-*.jsonl", "no file matches"),
          row("topN", "0", "does not match the pattern"),
          row("topN", "1001", "between 1 and 1000"),
          row("hotKeyFanout", "-1", "does not match the pattern"),
          row("hotKeyFanout", "10001", "0 (off) or between 1 and 10000"));

  /** Valid values of the required parameters, so that only the row's parameter is wrong. */
  private static final Map<String, String> REQUIRED =
      Map.of(
          "source", "file:$TMP/in.jsonl",
          "output", "file:$TMP/out/result",
          "topic", "events",
          "from", "2026-01-01T00:00:00Z",
          "to", "2026-01-02T00:00:00Z");

  @TempDir Path dir;
  private String out;
  private String err;

  @BeforeEach
  void writeInput() throws IOException {
    Files.writeString(
        dir.resolve("in.jsonl"), "{\"ts\":\"2026-01-01T00:00:00Z\",\"text\":\"hello\"}\n");
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (Row row : TABLE) {
      for (Template t : Templates.in(TEMPLATES).all()) {
        Parameter p = t.parameters().get(row.parameter());
        if (p != null) {
          cases.add(new Case(t.name(), modeFor(t, p), row));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aBadValueIsRefusedBeforeLaunchNamingTheTemplateAndTheParameter(Case c) throws IOException {
    Template template = Templates.in(TEMPLATES).named(c.template()).orElseThrow();
    List<String> args =
        new ArrayList<>(
            List.of(
                "template",
                "run",
                c.template(),
                "--templates=" + TEMPLATES,
                "--mode=" + c.mode().text()));
    for (Parameter p : template.parameters().values()) {
      if (p.required() && p.appliesTo(c.mode()) && !p.name().equals(c.row().parameter())) {
        args.add("--param=" + p.name() + "=" + tmp(REQUIRED.get(p.name())));
      }
    }
    if (c.row().value() != null) {
      args.add("--param=" + c.row().parameter() + "=" + tmp(c.row().value()));
    }

    int code = sluice(args.toArray(String[]::new));

    assertThat(err, code, equalTo(Sluice.USAGE));
    List<String> lines = err.strip().lines().collect(Collectors.toList());
    String error = lines.get(lines.size() - 1);
    // Before it, at most the line that shows the job's command (when the job refused it).
    assertThat(
        err,
        lines.subList(0, lines.size() - 1),
        everyItem(startsWith("sluice: template " + c.template() + " runs: ")));
    assertThat(error, startsWith("sluice: "));
    assertThat(error, containsString("template " + c.template()));
    assertThat(error, containsString(c.row().parameter()));
    assertThat(error, containsString(c.row().allowed()));
    if (c.row().echo() != null) {
      assertThat(error, containsString(tmp(c.row().echo())));
    }
    assertThat(out, equalTo(""));
    assertThat("nothing written", written(), empty());
  }

  @Test
  void everyParameterOfEveryTemplateHasABadValueCase() {
    Map<String, Set<String>> missing = new TreeMap<>();
    for (Template t : Templates.in(TEMPLATES).all()) {
      Set<String> covered =
          cases()
              .filter(c -> c.template().equals(t.name()))
              .map(c -> c.row().parameter())
              .collect(Collectors.toSet());
      for (Parameter p : t.parameters().values()) {
        if (!covered.contains(p.name())) {
          missing.computeIfAbsent(t.name(), k -> new TreeSet<>()).add(p.name());
        }
      }
    }
    assertThat("parameters without a bad-value row", missing, equalTo(Map.of()));
  }

  @Test
  void everyRequiredParameterHasALeftOutCaseAndAValidValue() {
    Set<String> leftOut =
        TABLE.stream()
            .filter(r -> r.value() == null)
            .map(Row::parameter)
            .collect(Collectors.toSet());
    for (Template t : Templates.in(TEMPLATES).all()) {
      for (Parameter p : t.parameters().values()) {
        if (p.required()) {
          assertThat(t.name() + " " + p.name(), leftOut.contains(p.name()), equalTo(true));
          assertThat(t.name() + " " + p.name(), REQUIRED.containsKey(p.name()), equalTo(true));
        }
      }
    }
  }

  @Test
  void theValidRequiredValuesAloneAreAccepted() {
    // The table's rows fail for their bad value, not for the base: the base passes the template.
    for (Template t : Templates.in(TEMPLATES).all()) {
      for (Mode mode : t.modes()) {
        Map<String, String> given = new TreeMap<>();
        t.parameters().values().stream()
            .filter(p -> p.required() && p.appliesTo(mode))
            .forEach(p -> given.put(p.name(), tmp(REQUIRED.get(p.name()))));
        List<String> flags = TemplateParameters.flags(t, mode, given);
        assertThat(t.name() + " " + mode.text(), flags.get(0), startsWith("--input="));
      }
    }
  }

  /** Stream-only parameters run in stream mode; the rest in batch when the template has it. */
  private static Mode modeFor(Template t, Parameter p) {
    if (!p.modes().isEmpty()) {
      return p.modes().iterator().next();
    }
    return t.modes().contains(Mode.BATCH) ? Mode.BATCH : Mode.STREAM;
  }

  private String tmp(String value) {
    return value.replace("$TMP", dir.toString());
  }

  /** Every file in the test folder but the input. */
  private List<Path> written() throws IOException {
    return OutputFiles.writtenIn(dir, dir.resolve("in.jsonl"));
  }

  private int sluice(String... args) {
    JobRun.Result run = JobRun.command(args).run();
    out = run.stdout();
    err = run.stderr();
    return run.exitCode();
  }

  private static Row row(String parameter, String value, String allowed) {
    return new Row(parameter, value, allowed, value);
  }

  /** A row whose message repeats only {@code echo} of the value: the part that is wrong. */
  private static Row echo(String parameter, String value, String allowed, String echo) {
    return new Row(parameter, value, allowed, echo);
  }

  /**
   * A row of the table: the parameter, the bad value (null: left out), a fragment of what is
   * allowed, and what of the value the message repeats.
   */
  record Row(String parameter, String value, String allowed, String echo) {}

  record Case(String template, Mode mode, Row row) {
    @Override
    public String toString() {
      return template
          + " --mode="
          + mode.text()
          + " "
          + row.parameter()
          + (row.value() == null ? " (left out)" : "=" + row.value());
    }
  }
}
