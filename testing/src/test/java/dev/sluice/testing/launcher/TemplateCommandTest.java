package dev.sluice.testing.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.sluice.launcher.Sluice;
import dev.sluice.testing.JobRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./sluice template list | describe | run, over the checked-in templates/ folder. */
class TemplateCommandTest {
  private static final String TEMPLATES = "--templates=" + Path.of("..", "templates");
  @TempDir Path dir;
  private String out;
  private String err;
  private JobRun.Result run;

  private int sluice(String... args) {
    run = JobRun.command(args).run();
    out = run.stdout();
    err = run.stderr();
    return run.exitCode();
  }

  private void assertUsageError(int code, String... fragments) {
    assertThat(err, code, equalTo(Sluice.USAGE));
    assertThat(err, err.strip().lines().count(), equalTo(1L));
    assertThat(err, startsWith("sluice: "));
    assertThat(err, not(containsString("\tat ")));
    for (String fragment : fragments) {
      assertThat(err, containsString(fragment));
    }
  }

  @Test
  void listShowsEachTemplateWithItsJobAndModes() {
    assertThat(sluice("template", "list", TEMPLATES), equalTo(Sluice.OK));
    assertThat(out, containsString("log-analytics-live"));
    assertThat(
        out.lines().filter(l -> l.startsWith("word-count-live ")).findFirst().orElse(""),
        containsString("word-count      batch,stream"));
  }

  @Test
  void describeShowsModesAndEveryParameter() {
    assertThat(sluice("template", "describe", "word-count-live", TEMPLATES), equalTo(Sluice.OK));
    assertThat(out, startsWith("word-count-live: Live: word counts"));
    assertThat(out, containsString("Job: word-count (./sluice run word-count --help)"));
    assertThat(
        out,
        containsString(
            "  stream"
                + " --input=kafka://${bootstrap}/${topic}?out-of-order=${outOfOrder}&idle=${idle}"));
    assertThat(
        out,
        containsString(
            "  topic <string>\n      The input topic\n      Required.\n"
                + "      Pattern: [a-zA-Z0-9._-]{1,249}\n"));
    assertThat(out, containsString("  outOfOrder <duration>  (mode stream only)\n"));
    assertThat(
        out,
        containsString(
            "  windowSize <duration>\n      How long each sliding window"
                + " is\n      Default: 10m\n      Sets: --windowSize\n"));
    assertThat(
        out,
        containsString(
            "Usage: ./sluice template run word-count-live --mode=batch|stream --param NAME=VALUE"));
  }

  @Test
  void anUnknownTemplateListsTheKnownOnes() {
    assertUsageError(
        sluice("template", "describe", "word-count-life", TEMPLATES),
        "unknown template 'word-count-life'; known: ",
        "word-count-live");
  }

  @Test
  void aBadParameterStopsBeforeLaunch() {
    assertUsageError(
        sluice(
            "template",
            "run",
            "word-count-backfill",
            TEMPLATES,
            "--param",
            "source=file:" + dir.resolve("in.jsonl"),
            "--param",
            "output=file:" + dir.resolve("o"),
            "--param",
            "windowSize=ten"),
        "parameter windowSize: 'ten' is not a duration");
  }

  @Test
  void aTemplateWithTwoModesNeedsOne() {
    assertUsageError(
        sluice("template", "run", "word-count-live", TEMPLATES, "--param", "topic=t"),
        "template word-count-live needs --mode=batch|stream");
    assertUsageError(
        sluice("template", "run", "word-count-live", TEMPLATES, "--mode=streaming"),
        "--mode: 'streaming' is not a mode; template word-count-live has: batch, stream");
  }

  @Test
  void aFlagTheTemplateSetsCannotBeGivenBesideIt() {
    assertUsageError(
        sluice(
            "template",
            "run",
            "word-count-backfill",
            TEMPLATES,
            "--param",
            "source=file:/x",
            "--param",
            "output=file:/o",
            "--windowSize=1m"),
        "--windowSize is set by template word-count-backfill; give it as a --param");
  }

  @Test
  void aBatchRunOverFilesWritesTheJobsResults() throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(
        input, "{\"ts\":\"2026-01-01T00:00:00Z\",\"text\":\"hello hello\"}\nnot json\n");
    int code =
        sluice(
            "template",
            "run",
            "word-count-backfill",
            TEMPLATES,
            "--param",
            "source=file:" + input,
            "--param",
            "output=file:" + dir.resolve("counts"),
            "--param",
            "windowSize=1m",
            "--param",
            "windowPeriod=1m",
            "--numShards=1");
    assertThat(err, code, equalTo(Sluice.OK));
    assertThat(
        err,
        containsString(
            "template word-count-backfill runs: ./sluice run word-count"
                + " --input=file:"
                + input));
    assertThat(err, containsString("word-count finished on DirectRunner"));
    assertThat(err, containsString("2 records read, 1 parsed, 1 dead letters"));
    String results = String.join("\n", run.lines());
    assertThat(results, containsString("\"word\":\"hello\""));
    assertThat(results, containsString("\"count\":2"));
  }
}
