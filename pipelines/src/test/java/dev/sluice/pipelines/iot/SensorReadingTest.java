package dev.sluice.pipelines.iot;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.transforms.quality.InvalidRecordException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SensorReadingTest {
  private static final long T = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  @Test
  void readsAFullReading() throws Exception {
    SensorReading r =
        SensorReading.parse(
            "{\"ts\":\"2026-01-01T00:00:07.250Z\",\"device\":\"dev-007\",\"sensor\":\"temperature\","
                + "\"value\":21.37,\"unit\":\"C\"}");
    assertThat(r, equalTo(new SensorReading(T + 7_250, "dev-007", "temperature", 21.37)));
  }

  @Test
  void readsEpochMillisAnOffsetAndNoSensor() throws Exception {
    assertThat(
        SensorReading.parse("{\"ts\":" + T + ",\"device\":\"d\",\"value\":-3}"),
        equalTo(new SensorReading(T, "d", null, -3.0)));
    assertThat(
        SensorReading.parse(
                "{\"ts\":\"2026-01-01T01:00:00+01:00\",\"device\":\"d\",\"sensor\":null,\"value\":0}")
            .timestampMillis(),
        is(T));
  }

  @Test
  void negativeZeroIsReadAsZero() throws Exception {
    SensorReading r = SensorReading.parse("{\"ts\":0,\"device\":\"d\",\"value\":-0.0}");
    assertThat(Double.doubleToLongBits(r.value()), is(Double.doubleToLongBits(0.0)));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          not-json      | {"ts":0,"device"                            | not JSON
          not-json      | ``                                          | not JSON: empty record
          not-object    | [1,2]                                       | but an array [1,2]
          not-object    | 42                                          | but a number 42
          missing-field | {"device":"d","value":1}                    | missing field 'ts'
          missing-field | {"ts":null,"device":"d","value":1}          | missing field 'ts'
          bad-timestamp | {"ts":"noon","device":"d","value":1}        | with an offset (or Z): "noon"
          bad-timestamp | {"ts":"2026-01-01T00:00","device":"d"}      | with an offset (or Z): "2026-01-01T00:00"
          bad-timestamp | {"ts":true,"device":"d","value":1}          | epoch milliseconds, was a boolean
          bad-timestamp | {"ts":1.5,"device":"d","value":1}           | epoch milliseconds, was a number with a fraction or an exponent
          bad-timestamp | {"ts":999999999999999999,"device":"d"}      | out of range (years 1 to 9999)
          """)
  void refusesWhatHasNoUsableTime(String kind, String line, String reason) {
    InvalidRecordException e = refusal(line);
    assertThat(e.kind(), is(kind));
    assertThat(e.getMessage(), containsString(reason));
    assertThat(e.eventTimeMillis(), nullValue());
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          missing-field | {"ts":0,"value":1}                      | missing field 'device'
          wrong-type    | {"ts":0,"device":42,"value":1}          | 'device' must be a string, was a number 42
          bad-device    | {"ts":0,"device":"  ","value":1}        | field 'device' is empty or blank
          bad-device    | {"ts":0,"device":"","value":1}          | field 'device' is empty or blank
          wrong-type    | {"ts":0,"device":"d","sensor":7}        | 'sensor' must be a string if present, was a number 7
          missing-field | {"ts":0,"device":"d"}                   | missing field 'value'
          missing-field | {"ts":0,"device":"d","value":null}      | missing field 'value'
          wrong-type    | {"ts":0,"device":"d","value":"21.5"}    | 'value' must be a number, was a string "21.5"
          wrong-type    | {"ts":0,"device":"d","value":[1]}       | 'value' must be a number, was an array [1]
          wrong-type    | {"ts":0,"device":"d","value":true}      | 'value' must be a number, was a boolean true
          not-finite    | {"ts":0,"device":"d","value":NaN}       | 'value' must be a finite number, was NaN
          not-finite    | {"ts":0,"device":"d","value":-Infinity} | 'value' must be a finite number, was -Infinity
          not-finite    | {"ts":0,"device":"d","value":1e999}     | 'value' must be a finite number, was Infinity
          out-of-range  | {"ts":0,"device":"d","value":-3.5e14}   | 'value' is -3.5E14, outside [-1e12, 1e12]
          """)
  void refusesABadReadingAndKeepsItsTime(String kind, String line, String reason) {
    InvalidRecordException e = refusal(line);
    assertThat(e.kind(), is(kind));
    assertThat(e.getMessage(), containsString(reason));
    assertThat(e.eventTimeMillis(), is(0L));
  }

  @Test
  void refusesADeviceIdLongerThan128Characters() throws Exception {
    String id = "d".repeat(128);
    assertThat(
        SensorReading.parse("{\"ts\":0,\"device\":\"" + id + "\",\"value\":1}").device(), is(id));
    InvalidRecordException e = refusal("{\"ts\":0,\"device\":\"" + id + "x\",\"value\":1}");
    assertThat(e.kind(), is("bad-device"));
    assertThat(e.getMessage(), containsString("129 characters long, at most 128 allowed"));
  }

  @Test
  void acceptsTheLargestMagnitudeAllowed() throws Exception {
    assertThat(
        SensorReading.parse("{\"ts\":0,\"device\":\"d\",\"value\":-1e12}").value(), is(-1e12));
  }

  @Test
  void coderRoundTripsDeterministicallyAndIsTheDefault() throws Exception {
    SensorReading withSensor = new SensorReading(T, "dev-1", "humidity", 45.5);
    SensorReading without = new SensorReading(-5, "ü-device", null, -1e-7);
    CoderProperties.coderDecodeEncodeEqual(SensorReading.Coder.of(), withSensor);
    CoderProperties.coderDecodeEncodeEqual(SensorReading.Coder.of(), without);
    CoderProperties.coderDeterministic(SensorReading.Coder.of(), withSensor, withSensor);
    assertThat(
        CoderRegistry.createDefault().getCoder(TypeDescriptor.of(SensorReading.class)),
        is(SensorReading.Coder.of()));
  }

  private static InvalidRecordException refusal(String line) {
    return assertThrows(InvalidRecordException.class, () -> SensorReading.parse(line));
  }

  // Found by ParserFuzzTest: a device id with half of a character parsed, and the coder (UTF-8)
  // turned it into '?': another device after a shuffle.
  @Test
  void refusesADeviceWithHalfACharacter() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                SensorReading.parse(
                    "{\"ts\":1767225607250,\"device\":\"dev-\\ud800\",\"value\":-3}"));
    assertThat(e.kind(), equalTo("bad-unicode"));
    assertThat(e.getMessage(), containsString("field 'device' has an unpaired surrogate \\ud800"));
    assertThat(e.eventTimeMillis(), equalTo(1767225607250L));
  }
}
