package dev.sluice.transforms.quality;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class ParseOrDeadLetterTest {
  /** Parses a decimal number of milliseconds; refuses anything else; crashes on "boom". */
  private static Long parseMillis(String payload) throws InvalidRecordException {
    if (payload.equals("boom")) {
      throw new IllegalStateException("parser bug");
    }
    try {
      return Long.parseLong(payload);
    } catch (NumberFormatException e) {
      throw new InvalidRecordException("not a number: " + payload);
    }
  }

  @Test
  void goodRecordsAreParsedAtTheirEventTimeAndBadOnesBecomeCountedDeadLetters(TestPipeline p) {
    PCollection<RawRecord> input =
        p.apply(
            Create.of(
                RawRecord.of("f:1", "1000"),
                RawRecord.of("f:2", "x"),
                RawRecord.of("f:3", "5000"),
                RawRecord.of("f:4", "boom")));
    ParseOrDeadLetter.Result<Long> result =
        input.apply(
            ParseOrDeadLetter.with(ParseOrDeadLetterTest::parseMillis, VarLongCoder.of())
                .withEventTime(Instant::ofEpochMilli));

    PAssert.that(result.parsed().apply(ParDo.of(new TimestampFn()))).containsInAnyOrder(
        "1000@1000", "5000@5000");
    PAssert.that(result.deadLetters())
        .containsInAnyOrder(
            DeadLetter.of(RawRecord.of("f:2", "x"), "not a number: x"),
            DeadLetter.of(
                RawRecord.of("f:4", "boom"),
                "parser failed: java.lang.IllegalStateException: parser bug"));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "parsed"), equalTo(2L));
    assertThat(counter(run, "dead_letters"), equalTo(2L));
  }

  @Test
  void deadLettersAreJsonLinesThatKeepTheRawRecord() throws Exception {
    String raw = "{\"broken\": \"quote\" \n tab\t";
    String json = DeadLetter.of(RawRecord.of("/in/a.jsonl:7", raw), "not JSON").toJson();
    JsonNode node = new ObjectMapper().readTree(json);
    assertThat(node.get("position").asText(), equalTo("/in/a.jsonl:7"));
    assertThat(node.get("reason").asText(), equalTo("not JSON"));
    assertThat(node.get("raw").asText(), equalTo(raw));
    assertThat(json.contains("\n"), equalTo(false));
  }

  @Test
  void codersAreDeterministicAndRoundTrip() throws Exception {
    DeadLetter letter = DeadLetter.of(RawRecord.of("t/0@12", "ünïcode ✓"), "why");
    CoderProperties.coderDeterministic(DeadLetter.Coder.of(), letter, letter);
    CoderProperties.coderDecodeEncodeEqual(DeadLetter.Coder.of(), letter);
    CoderProperties.coderDecodeEncodeEqual(RawRecord.Coder.of(), letter.record());
    assertThat(letter.toString(), containsString("t/0@12"));
  }

  private static long counter(PipelineResult run, String name) {
    return run.metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named(ParseOrDeadLetter.METRICS_NAMESPACE, name))
                .build())
        .getCounters()
        .iterator()
        .next()
        .getAttempted();
  }

  static final class TimestampFn extends DoFn<Long, String> {
    @ProcessElement
    public void process(@Element Long value, @Timestamp Instant ts, OutputReceiver<String> out) {
      out.output(value + "@" + ts.getMillis());
    }
  }
}
