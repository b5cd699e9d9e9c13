package dev.sluice.testing.template;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.conformance.JobCase;
import dev.sluice.testing.conformance.JobCases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every job's {@code <job>-backfill} template, run with {@code ./sluice template run ...
 * --mode=batch} over generated files (late, out-of-order and malformed records included) on the
 * DirectRunner, writes what the job's reference model computes, output by output.
 */
class TemplateBatchConformanceTest {
  /** The checked-in templates, from the testing module's folder. */
  static final String TEMPLATES = "--templates=" + Path.of("..", "templates");

  static Stream<JobCase> cases() {
    return JobCases.all().stream();
  }

  /** A case's job flags ({@code --windowSize=10m}) as template parameters. */
  static List<String> params(JobCase c) {
    List<String> params = new ArrayList<>();
    for (String flag : c.flags()) {
      params.add("--param");
      params.add(flag.substring(2));
    }
    return params;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theBackfillTemplateEqualsTheJobsModel(JobCase c, @TempDir Path dir) throws Exception {
    GeneratedEvents events = Generators.named(c.generator()).orElseThrow().generate(c.settings());
    Path input = dir.resolve("events.jsonl");
    Files.write(input, events.lines(), StandardCharsets.UTF_8);

    JobRun.Result run =
        JobRun.template(
                c.job() + "-backfill",
                TEMPLATES,
                "--mode=batch",
                "--param",
                "source=file:" + input,
                "--param",
                "output=file:" + dir.resolve("out"))
            .args(params(c))
            .ok();

    Map<String, List<String>> expected = c.model().apply(events.lines());
    for (Map.Entry<String, List<String>> output : expected.entrySet()) {
      assertThat(
          c.job() + " output '" + output.getKey() + "'",
          run.lines(output.getKey()),
          equalTo(output.getValue().stream().sorted().toList()));
    }
    assertThat(expected.get("").size(), greaterThan(0));
  }
}
