package dev.sluice.testing.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.sluice.launcher.Capabilities;
import dev.sluice.launcher.jobs.Job;
import dev.sluice.launcher.jobs.Jobs;
import dev.sluice.launcher.template.Template;
import dev.sluice.launcher.template.Template.Mode;
import dev.sluice.launcher.template.TemplateParameters;
import dev.sluice.launcher.template.Templates;
import dev.sluice.testing.conformance.JobCase;
import dev.sluice.testing.conformance.JobCases;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every job as its {@code <job>-live} template builds it: a stream is seen as a stream, a batch
 * over the same topic as a batch, and with default parameters none uses what Spark streaming lacks
 * (state, timers, allowed lateness, accumulating panes), so none is refused there; word count with
 * an allowed lateness is. Built, not run.
 */
@ExtendWith(KafkaBrokerExtension.class)
class JobCapabilitiesTest {
  static Stream<JobCase> cases() {
    return JobCases.all().stream();
  }

  private static Pipeline build(JobCase c, KafkaBroker broker, Mode mode) {
    return build(c.job(), broker, mode, Map.of());
  }

  private static Pipeline build(
      String jobName, KafkaBroker broker, Mode mode, Map<String, String> more) {
    JobCase c =
        JobCases.all().stream().filter(j -> j.job().equals(jobName)).findFirst().orElseThrow();
    Template live = Templates.in(Path.of("..", "templates")).named(c.job() + "-live").orElseThrow();
    String in = c.job() + "-caps-in";
    Map<String, String> params = new LinkedHashMap<>();
    params.put("bootstrap", broker.bootstrapServers());
    params.put("topic", in);
    params.put("output", broker.uri(c.job() + "-caps-" + mode.text()) + "?partitions=1");
    params.putAll(more);
    List<String> flags = TemplateParameters.flags(live, mode, params);
    Job<?> job = Jobs.named(c.job()).orElseThrow();
    return job.build(
        PipelineOptionsFactory.fromArgs(flags.toArray(new String[0])).as(job.optionsClass()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void noJobNeedsWhatSparkStreamingLacks(JobCase c, KafkaBroker broker) {
    broker.createTopic(c.job() + "-caps-in", 1);
    Pipeline stream = build(c, broker, Mode.STREAM);
    assertThat(Capabilities.isStreaming(stream), is(true));
    assertThat(Capabilities.refusal(stream, "SparkRunner"), equalTo(Optional.empty()));
    assertThat(Capabilities.isStreaming(build(c, broker, Mode.BATCH)), is(false));
  }

  @org.junit.jupiter.api.Test
  void aWordCountStreamWithAllowedLatenessIsRefusedOnSparkAndFlink(KafkaBroker broker) {
    broker.createTopic("word-count-late-in", 1);
    Pipeline late =
        build(
            "word-count",
            broker,
            Mode.STREAM,
            Map.of("topic", "word-count-late-in", "allowedLateness", "5m"));
    assertThat(
        Capabilities.refusal(late, "SparkRunner").orElseThrow(),
        equalTo(
            "allowed lateness (step CountWordsInSlidingWindows/CountPerWord/SlidingWindows) is not"
                + " supported by SparkRunner in streaming; run it in batch (a file: input or"
                + " kafka://...?stop=now) or use --runner=direct"));
    assertThat(
        Capabilities.refusal(late, "FlinkRunner").orElseThrow(),
        equalTo(
            "allowed lateness (step CountWordsInSlidingWindows/CountPerWord/SlidingWindows) on"
                + " FlinkRunner in streaming gave wrong panes (a window's final pane fired twice,"
                + " the second empty; docs/runners.md); leave the lateness out (records behind the"
                + " watermark then become dead letters of kind late) or use --runner=direct"));
    assertThat(Capabilities.refusal(late, "DirectRunner"), equalTo(Optional.empty()));
  }
}
