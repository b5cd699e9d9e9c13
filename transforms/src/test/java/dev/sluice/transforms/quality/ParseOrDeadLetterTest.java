package dev.sluice.transforms.quality;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.transforms.TestMetrics;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.VarLongCoder;
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
  /**
   * Parses a decimal number of milliseconds; refuses anything else; refuses negative numbers with
   * the number as the event time; crashes on "boom".
   */
  private static Long parseMillis(String payload) throws InvalidRecordException {
    if (payload.equals("boom")) {
      throw new IllegalStateException("parser bug");
    }
    long millis;
    try {
      millis = Long.parseLong(payload);
    } catch (NumberFormatException e) {
      throw new InvalidRecordException("not-a-number", "not a number: " + payload);
    }
    if (millis < 0) {
      throw new InvalidRecordException("negative", "negative: " + payload, -millis);
    }
    return millis;
  }

  @Test
  void goodRecordsAreParsedAtTheirEventTimeAndBadOnesBecomeCountedDeadLetters(TestPipeline p) {
    PCollection<RawRecord> input =
        p.apply(
            Create.of(
                RawRecord.of("f", "1", "1000"),
                RawRecord.of("f", "2", "x"),
                RawRecord.of("f", "3", "5000"),
                RawRecord.of("f", "4", "boom"),
                RawRecord.of("f", "5", "y"),
                RawRecord.of("f", "6", "-7")));
    ParseOrDeadLetter.Result<Long> result =
        input.apply(
            ParseOrDeadLetter.with(ParseOrDeadLetterTest::parseMillis, VarLongCoder.of())
                .withEventTime(Instant::ofEpochMilli));

    PAssert.that(result.parsed().apply(ParDo.of(new TimestampFn())))
        .containsInAnyOrder("1000@1000", "5000@5000");
    PAssert.that(result.deadLetters())
        .containsInAnyOrder(
            DeadLetter.of(RawRecord.of("f", "2", "x"), "not-a-number", "not a number: x"),
            DeadLetter.of(RawRecord.of("f", "5", "y"), "not-a-number", "not a number: y"),
            DeadLetter.of(RawRecord.of("f", "6", "-7"), "negative", "negative: -7")
                .withEventTime(7L),
            DeadLetter.of(
                RawRecord.of("f", "4", "boom"),
                ParseOrDeadLetter.PARSER_ERROR,
                "parser failed: java.lang.IllegalStateException: parser bug"));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "parsed"), equalTo(2L));
    assertThat(counter(run, "dead_letters"), equalTo(4L));
    assertThat(counter(run, "dead_letters.not-a-number"), equalTo(2L));
    assertThat(counter(run, "dead_letters.negative"), equalTo(1L));
    assertThat(counter(run, "dead_letters.parser-error"), equalTo(1L));
  }

  @Test
  void anUnreadableRecordIsADeadLetterOfItsSourcesKindAndIsNeverParsed(TestPipeline p) {
    // "1000" would parse: the record must still not reach the parser, its text is only a rendering.
    RawRecord unreadable =
        RawRecord.unreadable(
            "f", "2", "1000", "not-utf8", "not UTF-8 at byte offset 3", "MTAw/w==");
    RawRecord oversize =
        RawRecord.unreadable("f", "3", "12", "oversize", "record is 9 bytes, over 4", null);
    ParseOrDeadLetter.Result<Long> result =
        p.apply(Create.of(RawRecord.of("f", "1", "5000"), unreadable, oversize))
            .apply(ParseOrDeadLetter.with(ParseOrDeadLetterTest::parseMillis, VarLongCoder.of()));

    PAssert.that(result.parsed()).containsInAnyOrder(5000L);
    PAssert.that(result.deadLetters())
        .containsInAnyOrder(
            DeadLetter.of(unreadable, "not-utf8", "not UTF-8 at byte offset 3"),
            DeadLetter.of(oversize, "oversize", "record is 9 bytes, over 4"));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "parsed"), equalTo(1L));
    assertThat(counter(run, "dead_letters"), equalTo(2L));
    assertThat(counter(run, "dead_letters.not-utf8"), equalTo(1L));
    assertThat(counter(run, "dead_letters.oversize"), equalTo(1L));
  }

  @Test
  void aLateRecordIsADeadLetterWithItsEventTimeCountedAsLateNotAsADeadLetter(TestPipeline p)
      throws Exception {
    RawRecord late = RawRecord.late("t", "1@7", "3000", new Instant(3_000), new Instant(60_000));
    ParseOrDeadLetter.Result<Long> result =
        p.apply(Create.of(RawRecord.of("t", "0@1", "5000"), late))
            .apply(ParseOrDeadLetter.with(ParseOrDeadLetterTest::parseMillis, VarLongCoder.of()));

    PAssert.that(result.parsed()).containsInAnyOrder(5000L);
    PAssert.that(result.deadLetters())
        .containsInAnyOrder(
            DeadLetter.of(late, RawRecord.LATE, late.unreadableReason()).withEventTime(3_000L));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "parsed"), equalTo(1L));
    assertThat(counter(run, "late"), equalTo(1L));
    assertThat(counter(run, "dead_letters"), equalTo(0L));

    JsonNode node =
        new ObjectMapper()
            .readTree(DeadLetter.of(late, RawRecord.LATE, late.unreadableReason()).toJson());
    assertThat(node.get("raw").asText(), equalTo("3000"));
    assertThat(
        late.unreadableReason(),
        equalTo(
            "arrived behind the watermark: event time 1970-01-01T00:00:03.000Z, watermark"
                + " 1970-01-01T00:01:00.000Z (PT57S behind); it is in no window's results"));
    CoderProperties.coderDecodeEncodeEqual(RawRecord.Coder.of(), late);
  }

  @Test
  void anUnreadableRecordsDeadLetterCarriesItsOriginalBytesInBase64() throws Exception {
    JsonNode node =
        new ObjectMapper()
            .readTree(
                DeadLetter.of(
                        RawRecord.unreadable("f", "9", "caf\uFFFD", "not-utf8", "why", "Y2Fm/w=="),
                        "not-utf8",
                        "why")
                    .toJson());
    assertThat(node.get("raw").asText(), equalTo("caf\uFFFD"));
    assertThat(
        java.util.Base64.getDecoder().decode(node.get("raw_base64").asText()),
        equalTo(new byte[] {'c', 'a', 'f', (byte) 0xFF}));
    JsonNode readable =
        new ObjectMapper().readTree(DeadLetter.of(RawRecord.of("s", "1", "r"), "k", "w").toJson());
    assertThat(readable.has("raw_base64"), equalTo(false));
  }

  @Test
  void anUnreadableRecordNeedsAKindAndAReason() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> RawRecord.unreadable("s", "1", "r", "Not UTF8", "why", null));
    assertThat(e.getMessage(), containsString("'Not UTF8'"));
  }

  @Test
  void deadLettersAreJsonLinesThatKeepTheRawRecord() throws Exception {
    String raw = "{\"broken\": \"quote\" \n tab\t";
    String json =
        DeadLetter.of(RawRecord.of("/in/a.jsonl", "7", raw), "not-json", "not JSON")
            .withEventTime(1_000L)
            .toJson();
    JsonNode node = new ObjectMapper().readTree(json);
    assertThat(node.get("source").asText(), equalTo("/in/a.jsonl"));
    assertThat(node.get("position").asText(), equalTo("7"));
    assertThat(node.get("kind").asText(), equalTo("not-json"));
    assertThat(node.get("reason").asText(), equalTo("not JSON"));
    assertThat(node.get("event_time").asText(), equalTo("1970-01-01T00:00:01Z"));
    assertThat(node.get("raw").asText(), equalTo(raw));
    JsonNode withoutTime =
        new ObjectMapper()
            .readTree(DeadLetter.of(RawRecord.of("s", "1", "r"), "k", "why").toJson());
    assertThat(withoutTime.get("event_time").isNull(), equalTo(true));
    assertThat(json.contains("\n"), equalTo(false));
  }

  @Test
  void codersAreDeterministicAndRoundTrip() throws Exception {
    DeadLetter letter = DeadLetter.of(RawRecord.of("t", "0@12", "ünïcode ✓"), "bad-utf8", "why");
    CoderProperties.coderDeterministic(DeadLetter.Coder.of(), letter, letter);
    CoderProperties.coderDecodeEncodeEqual(DeadLetter.Coder.of(), letter);
    CoderProperties.coderDecodeEncodeEqual(DeadLetter.Coder.of(), letter.withEventTime(-5L));
    CoderProperties.coderDecodeEncodeEqual(RawRecord.Coder.of(), letter.record());
    RawRecord unreadable = RawRecord.unreadable("t", "0@13", "\uFFFD", "not-utf8", "why", "/w==");
    RawRecord withoutBytes = RawRecord.unreadable("t", "0@14", "head", "oversize", "big", null);
    CoderProperties.coderDeterministic(RawRecord.Coder.of(), unreadable, unreadable);
    CoderProperties.coderDecodeEncodeEqual(RawRecord.Coder.of(), unreadable);
    CoderProperties.coderDecodeEncodeEqual(RawRecord.Coder.of(), withoutBytes);
    assertThat(unreadable.equals(RawRecord.of("t", "0@13", "\uFFFD")), equalTo(false));
    assertThat(letter.toString(), containsString("t:0@12"));
  }

  @Test
  void theCoderRegistryFindsTheDeterministicCoders() throws Exception {
    org.apache.beam.sdk.coders.CoderRegistry registry =
        org.apache.beam.sdk.coders.CoderRegistry.createDefault();
    assertThat(registry.getCoder(DeadLetter.class), equalTo(DeadLetter.Coder.of()));
    assertThat(registry.getCoder(RawRecord.class), equalTo(RawRecord.Coder.of()));
  }

  @Test
  void aKindMustBeAShortStableName() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> DeadLetter.of(RawRecord.of("s", "1", "r"), "Not JSON!", "why"));
    assertThat(e.getMessage(), containsString("'Not JSON!'"));
  }

  private static long counter(PipelineResult run, String name) {
    return TestMetrics.counter(run, ParseOrDeadLetter.METRICS_NAMESPACE, name);
  }

  static final class TimestampFn extends DoFn<Long, String> {
    @ProcessElement
    public void process(@Element Long value, @Timestamp Instant ts, OutputReceiver<String> out) {
      out.output(value + "@" + ts.getMillis());
    }
  }
}
