package dev.sluice.pipelines.wordcount;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.transforms.quality.InvalidRecordException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextEventTest {
  @Test
  void readsIsoTimestampsWithAnyOffsetAndEpochMillis() throws Exception {
    assertThat(
        TextEvent.parse("{\"ts\":\"1970-01-01T00:00:01Z\",\"text\":\"a\"}"),
        equalTo(new TextEvent(1_000, "a")));
    assertThat(
        TextEvent.parse("{\"ts\":\"1970-01-01T01:00:02+01:00\",\"text\":\"b\",\"extra\":1}"),
        equalTo(new TextEvent(2_000, "b")));
    assertThat(TextEvent.parse("{\"ts\":3000,\"text\":\"c\"}"), equalTo(new TextEvent(3_000, "c")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"ts\":\"1970-01-01T00:00:01Z\"             | not JSON| not-json",
        "[1, 2]                                       | not a JSON object| not-object",
        "{\"text\":\"a\"}                             | missing field 'ts'| missing-field",
        "{\"ts\":1}                                   | missing field 'text'| missing-field",
        "{\"ts\":1,\"text\":7}                        | field 'text' is not a string| wrong-type",
        "{\"ts\":\"yesterday\",\"text\":\"a\"}        | field 'ts' is not an ISO-8601|"
            + " bad-timestamp",
        "{\"ts\":\"2026-01-01T00:00:00\",\"text\":\"a\"} | field 'ts' is not an ISO-8601|"
            + " bad-timestamp",
        "{\"ts\":1.5,\"text\":\"a\"}                  | field 'ts' must be| bad-timestamp",
        "{\"ts\":99999999999999999,\"text\":\"a\"}    | field 'ts' is out of range| bad-timestamp",
      })
  void saysWhatIsWrongWithABadLine(String line, String reason, String kind) {
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> TextEvent.parse(line.trim()));
    assertThat(e.getMessage(), startsWith(reason.trim()));
    assertThat(e.kind(), equalTo(kind.trim()));
  }

  @Test
  void aRefusalAfterTheTimestampWasReadCarriesIt() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class, () -> TextEvent.parse("{\"ts\":1500,\"text\":[1]}"));
    assertThat(e.eventTimeMillis(), equalTo(1500L));
  }

  @Test
  void coderRoundTrips() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(TextEvent.Coder.of(), new TextEvent(-5, "ü x"));
  }

  // Found by ParserFuzzTest: half of a character (an unpaired surrogate) parsed, and the coder
  // (UTF-8) turned it into '?', so the value changed between two steps of a job.
  @Test
  void refusesTextWithHalfACharacter() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () -> TextEvent.parse("{\"ts\":1500,\"text\":\"ab\\ud83d c\"}"));
    assertThat(e.kind(), equalTo("bad-unicode"));
    assertThat(
        e.getMessage(),
        equalTo(
            "field 'text' has an unpaired surrogate \\ud83d at index 2: not Unicode text (half of"
                + " a character)"));
    assertThat(e.eventTimeMillis(), equalTo(1500L));
  }

  @Test
  void keepsAWholeCharacterBeyondTheBasicPlane() throws Exception {
    assertThat(
        TextEvent.parse("{\"ts\":1,\"text\":\"a\\ud83d\\ude00\"}").text(),
        equalTo("a" + new String(Character.toChars(0x1F600))));
  }
}
