package dev.sluice.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** What Spark streaming lacks is refused before launch, naming the feature, runner and way out. */
class CapabilitiesTest {
  static final class RememberFn extends DoFn<KV<Long, Long>, Long> {
    @StateId("last")
    private final StateSpec<ValueState<Long>> last = StateSpecs.value();

    @ProcessElement
    public void process(
        @Element KV<Long, Long> e,
        @StateId("last") ValueState<Long> state,
        OutputReceiver<Long> out) {
      state.write(e.getValue());
      out.output(e.getValue());
    }
  }

  private static PCollection<Long> numbers(Pipeline p, boolean bounded) {
    GenerateSequence seq = GenerateSequence.from(0);
    return p.apply("Numbers", bounded ? seq.to(100) : seq);
  }

  private static Pipeline stateful(boolean bounded) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    numbers(p, bounded).apply("Key", WithKeys.of(1L)).apply("Remember", ParDo.of(new RememberFn()));
    return p;
  }

  private static Pipeline writingFiles(boolean bounded) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    numbers(p, bounded)
        .apply("Window", Window.<Long>into(FixedWindows.of(Duration.standardMinutes(1))))
        .apply("Text", MapElements.into(TypeDescriptors.strings()).via(String::valueOf))
        .apply(
            "WriteCounts",
            TextIO.write().to("/nowhere/counts").withWindowedWrites().withNumShards(1));
    return p;
  }

  private static Pipeline windowed(boolean bounded, Duration lateness, boolean accumulating) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    Window<Long> window =
        Window.<Long>into(FixedWindows.of(Duration.standardMinutes(1)))
            .withAllowedLateness(lateness);
    numbers(p, bounded)
        .apply(
            "Window",
            accumulating ? window.accumulatingFiredPanes() : window.discardingFiredPanes())
        .apply("Count", Count.perElement());
    return p;
  }

  @Test
  void flinkRefusesALiveStreamThatWritesFilesButNotABatch() {
    assertThat(
        Capabilities.refusal(writingFiles(false), "FlinkRunner").orElseThrow(),
        startsWith(
            "file output of a live stream (step WriteCounts/WriteFiles) on FlinkRunner can lose"
                + " results"));
    assertThat(
        Capabilities.refusal(writingFiles(false), "FlinkRunner").orElseThrow(),
        containsString("write it to a kafka://HOST:PORT/TOPIC"));
    assertThat(Capabilities.refusal(writingFiles(true), "FlinkRunner"), equalTo(Optional.empty()));
    assertThat(
        Capabilities.refusal(writingFiles(false), "DirectRunner"), equalTo(Optional.empty()));
  }

  @Test
  void sparkStreamingRefusesStatefulProcessing() {
    assertThat(
        Capabilities.refusal(stateful(false), "SparkRunner"),
        equalTo(
            Optional.of(
                "stateful processing/timers (step Remember) are not supported by"
                    + " SparkRunner in streaming; run it in batch (a file: input or"
                    + " kafka://...?stop=now) or use --runner=flink|direct")));
  }

  @Test
  void sparkStreamingRefusesAllowedLatenessAndAccumulatingPanes() {
    assertThat(
        Capabilities.refusal(windowed(false, Duration.standardMinutes(5), false), "TestSparkRunner")
            .orElse(""),
        equalTo(
            "allowed lateness (step Window) is not supported by TestSparkRunner"
                + " in streaming; run it in batch (a file: input or kafka://...?stop=now) or use"
                + " --runner=flink|direct"));
    assertThat(
        Capabilities.refusal(windowed(false, Duration.ZERO, true), "SparkRunner")
            .orElse("")
            .startsWith(
                "accumulating panes (step Window) are not"
                    + " supported by SparkRunner in streaming"),
        equalTo(true));
  }

  @Test
  void sparkInBatchAndOtherRunnersInStreamingAreNotRefused() {
    assertThat(Capabilities.refusal(stateful(true), "SparkRunner"), equalTo(Optional.empty()));
    assertThat(
        Capabilities.refusal(windowed(true, Duration.standardMinutes(5), true), "SparkRunner"),
        equalTo(Optional.empty()));
    assertThat(Capabilities.refusal(stateful(false), "FlinkRunner"), equalTo(Optional.empty()));
    assertThat(Capabilities.refusal(stateful(false), "DirectRunner"), equalTo(Optional.empty()));
  }

  @Test
  void aPlainStreamingWindowedCountRunsOnSpark() {
    assertThat(
        Capabilities.refusal(windowed(false, Duration.ZERO, false), "SparkRunner"),
        equalTo(Optional.empty()));
  }

  @Test
  void sparkStreamingRefusesWindowsOnMoreThanOneCore() {
    assertThat(
        Capabilities.sparkStreamRefusal(
                windowed(false, Duration.ZERO, false), "word-count", "SparkRunner", "local[2]")
            .orElseThrow(),
        equalTo(
            "event-time windows (step Window) over a live stream come out wrong on SparkRunner"
                + " with --sparkMaster=local[2]: it reads the stream in one split per core and"
                + " moves the watermark to the most advanced split's (Beam #19411), so windows"
                + " close before the other splits' records are in; use --sparkMaster=local[1], run"
                + " it in batch (a file: input or kafka://...?stop=now) or use"
                + " --runner=flink|direct"));
    assertThat(
        Capabilities.sparkStreamRefusal(
                windowed(false, Duration.ZERO, false),
                "word-count",
                "SparkRunner",
                "spark://127.0.0.1:7077")
            .isPresent(),
        equalTo(true));
  }

  @Test
  void sparkWindowsRunInBatchAndOnOtherRunners() {
    assertThat(
        Capabilities.sparkStreamRefusal(
            windowed(true, Duration.ZERO, false), "word-count", "SparkRunner", "local[4]"),
        equalTo(Optional.empty()));
    assertThat(
        Capabilities.sparkStreamRefusal(
            windowed(false, Duration.ZERO, false), "word-count", "FlinkRunner", "local[4]"),
        equalTo(Optional.empty()));
  }

  @Test
  void sparkStreamingOnOneCoreIsNotProvenForAnyJob() {
    Pipeline p = windowed(false, Duration.ZERO, false);
    assertThat(
        Capabilities.sparkStreamRefusal(p, "trending-items", "SparkRunner", "local[1]")
            .orElseThrow(),
        equalTo(
            "a live stream of trending-items (windows from step Window) on SparkRunner is not"
                + " proven: on one core it lost closed-window results in the streaming conformance"
                + " suite (word-count when records arrived behind the watermark, the other jobs"
                + " even without; docs/runners.md); run it in batch (a file: input or"
                + " kafka://...?stop=now) or use --runner=flink|direct"));
    assertThat(
        Capabilities.sparkStreamRefusal(p, "word-count", "SparkRunner", "local[1]").isPresent(),
        equalTo(true));
  }
}
