package dev.sluice.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WindowSpecTest {
  @Test
  void parsesTheFullExampleFromTheDocumentation() {
    WindowSpec spec =
        WindowSpec.parse("size=10m,every=1m,early=30s,late=each,lateness=1h,accumulating");
    assertThat(spec.size(), equalTo(Duration.standardMinutes(10)));
    assertThat(spec.every(), equalTo(Duration.standardMinutes(1)));
    assertThat(spec.early().delay(), equalTo(Duration.standardSeconds(30)));
    assertThat(spec.late().count(), equalTo(1));
    assertThat(spec.allowedLateness(), equalTo(Duration.standardHours(1)));
    assertThat(spec.isAccumulating(), is(true));
    assertThat(spec.usesProcessingTime(), is(true));
    assertThat(
        spec.trigger(),
        equalTo(
            AfterWatermark.pastEndOfWindow()
                .withEarlyFirings(
                    AfterProcessingTime.pastFirstElementInPane()
                        .plusDelayOf(Duration.standardSeconds(30)))
                .withLateFirings(AfterPane.elementCountAtLeast(1))));
  }

  @Test
  void defaultsAreTumblingOnTimeOnlyDiscardingWithoutLateness() {
    WindowSpec spec = WindowSpec.parse(" SIZE = 5m ");
    assertThat(spec.every(), equalTo(Duration.standardMinutes(5)));
    assertThat(spec.early().isNone(), is(true));
    assertThat(spec.late().isNone(), is(true));
    assertThat(spec.allowedLateness(), equalTo(Duration.ZERO));
    assertThat(spec.isAccumulating(), is(false));
    assertThat(spec.usesProcessingTime(), is(false));
    assertThat(spec.trigger(), equalTo(AfterWatermark.pastEndOfWindow()));
  }

  @Test
  void earlyFiringsCanCountElements() {
    WindowSpec spec = WindowSpec.parse("size=1h,every=10m,early=100,discarding");
    assertThat(spec.early().count(), equalTo(100));
    assertThat(spec.early().delay(), is(nullValue()));
    assertThat(
        spec.trigger(),
        equalTo(
            AfterWatermark.pastEndOfWindow().withEarlyFirings(AfterPane.elementCountAtLeast(100))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "size=10m,every=1m,early=30s,late=each,lateness=1h,accumulating",
        "size=1h,every=5m,early=100,late=2m,lateness=1d,discarding",
        "size=90s,every=30s,early=none,late=none,lateness=0s,discarding"
      })
  void theCanonicalTextParsesBackToTheSameSpec(String text) {
    WindowSpec spec = WindowSpec.parse(text);
    assertThat(WindowSpec.parse(spec.toString()), equalTo(spec));
    assertThat(WindowSpec.parse(spec.toString()).toString(), equalTo(spec.toString()));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                  | window spec is empty",
        "every=1m                            | size is required",
        "size=10m,,every=1m                  | empty item",
        "size=10m,every=20m                  | every=20m is longer than size=10m",
        "size=10m,window=1m                  | unknown key 'window'",
        "size=10m,size=5m                    | 'size' is given twice",
        "size=ten                            | 'ten' is not a duration",
        "size=10m,early=soon                 | early=soon is not allowed",
        "size=10m,early=0                    | must count at least one element",
        "size=10m,early=each                 | early=each is not allowed",
        "size=10m,late=each                  | late=each needs lateness greater than zero",
        "size=10m,lateness=forever           | 'forever' is not a duration",
        "size=10m,accumulating,discarding    | accumulating or discarding once",
        "size=10m,fast                       | 'fast' is neither key=value",
        "size=10m,late=none,lateness=1h      | late=none with lateness=1h would drop",
      })
  void aBadSpecIsRefusedNamingWhatIsWrong(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WindowSpec.parse(text));
    assertThat(e.getMessage(), containsString(message.trim()));
  }

  @Test
  void allowedLatenessFiresEachLateElementUnlessToldOtherwise() {
    WindowSpec spec = WindowSpec.parse("size=10m,lateness=1h");
    assertThat(spec.late().count(), equalTo(1));
    assertThat(spec.hasDefaultTrigger(), is(false));
    assertThat(WindowSpec.parse("size=10m,late=5,lateness=1h").late().count(), equalTo(5));
  }

  @Test
  void aTriggerIsAddedToWindowsGivenElsewhere() {
    WindowSpec windows =
        WindowSpec.sliding(Duration.standardMinutes(10), Duration.standardMinutes(1));
    assertThat(windows.hasDefaultTrigger(), is(true));
    assertThat(windows.withTrigger("--trigger", ""), equalTo(windows));
    assertThat(
        windows.withTrigger("--trigger", "early=30s,late=each,lateness=1h,accumulating"),
        equalTo(
            WindowSpec.parse("size=10m,every=1m,early=30s,late=each,lateness=1h,accumulating")));
    assertThat(
        windows.withAllowedLateness(Duration.standardMinutes(5)),
        equalTo(WindowSpec.parse("size=10m,every=1m,late=each,lateness=5m")));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "size=5m                | --trigger: unknown key 'size' (the window's size and slide",
        "every=5m,early=1m      | --trigger: unknown key 'every'",
        "early=soon             | --trigger: early=soon is not allowed",
        "late=each              | --trigger: late=each needs lateness greater than zero",
        "early=1m,,accumulating | --trigger 'early=1m,,accumulating' has an empty item",
      })
  void aBadTriggerIsRefusedNamingTheFlag(String text, String message) {
    WindowSpec windows =
        WindowSpec.sliding(Duration.standardMinutes(10), Duration.standardMinutes(1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> windows.withTrigger("--trigger", text));
    assertThat(e.getMessage(), containsString(message.trim()));
  }
}
