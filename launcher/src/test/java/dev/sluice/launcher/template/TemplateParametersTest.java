package dev.sluice.launcher.template;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.launcher.template.Template.Mode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each --param is checked before launch; the error names the parameter, the value and what fits.
 */
class TemplateParametersTest {
  private final Template words = Template.parse("words", TemplateTest.WORDS);

  private static final String HOURLY =
      "{\"job\":\"log-analytics\",\"description\":\"d\","
          + "\"modes\":{\"batch\":{\"input\":\"kafka://127.0.0.1:9092/logs?start=${from}&stop=${to}\"}},"
          + "\"parameters\":["
          + "{\"name\":\"from\",\"type\":\"time\",\"required\":true,\"help\":\"h\"},"
          + "{\"name\":\"to\",\"type\":\"time\",\"required\":true,\"help\":\"h\"},"
          + "{\"name\":\"output\",\"type\":\"uri\",\"required\":true,\"help\":\"h\",\"flag\":\"output\"},"
          + "{\"name\":\"minRequests\",\"type\":\"int\",\"default\":\"20\",\"help\":\"h\",\"flag\":\"minRequests\"},"
          + "{\"name\":\"errorRateThreshold\",\"type\":\"double\",\"default\":\"0.05\",\"help\":\"h\","
          + "\"flag\":\"errorRateThreshold\"}]}";
  private final Template hourly = Template.parse("hourly", HOURLY);

  private static String error(Template t, Mode mode, String... pairs) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> TemplateParameters.flags(t, mode, TemplateParameters.parse(List.of(pairs))))
        .getMessage();
  }

  @Test
  void valuesAndDefaultsBecomeTheJobsFlags() {
    List<String> flags =
        TemplateParameters.flags(
            words,
            Mode.BATCH,
            Map.of("source", "file:/data/*.jsonl", "output", "file:/out/counts"));
    assertThat(
        flags,
        contains("--input=file:/data/*.jsonl", "--output=file:/out/counts", "--windowSize=10m"));
  }

  @Test
  void theInputIsFormedPerMode() {
    List<String> flags =
        TemplateParameters.flags(
            words,
            Mode.STREAM,
            Map.of(
                "topic", "lines", "output", "kafka://127.0.0.1:9092/counts", "windowSize", "1h"));
    assertThat(
        flags,
        contains(
            "--input=kafka://127.0.0.1:9092/lines",
            "--output=kafka://127.0.0.1:9092/counts",
            "--windowSize=1h"));
  }

  @Test
  void aMissingRequiredParameterIsNamedWithItsHelp() {
    assertThat(
        error(words, Mode.BATCH, "output=file:/o"),
        containsString("parameter source is required (files): --param source=<uri>"));
  }

  @Test
  void anUnknownParameterListsTheModesParameters() {
    assertThat(
        error(words, Mode.BATCH, "source=file:/i", "output=file:/o", "windowSize2=1m"),
        containsString(
            "template words has no parameter 'windowSize2'; parameters: source, output,"
                + " windowSize, level"));
  }

  @Test
  void aParameterOfAnotherModeIsRefused() {
    assertThat(
        error(words, Mode.BATCH, "source=file:/i", "output=file:/o", "topic=t"),
        containsString("parameter topic applies only to mode stream, not batch"));
  }

  @Test
  void aBadDurationSaysWhatADurationIs() {
    assertThat(
        error(words, Mode.BATCH, "source=file:/i", "output=file:/o", "windowSize=10 min"),
        containsString(
            "parameter windowSize: '10 min' is not a duration; expected a duration:"
                + " a whole number and ms, s, m, h or d"));
  }

  @Test
  void aValueOutsideTheEnumListsTheAllowedOnes() {
    assertThat(
        error(words, Mode.BATCH, "source=file:/i", "output=file:/o", "level=medium"),
        containsString("parameter level: 'medium' is not allowed; allowed: low, high"));
  }

  @Test
  void aValueNotMatchingThePatternShowsIt() {
    assertThat(
        error(words, Mode.STREAM, "topic=Lines!", "output=file:/o"),
        containsString("parameter topic: 'Lines!' does not match the pattern [a-z-]+"));
  }

  @Test
  void aUriMustBeAFileOrKafkaLocation() {
    assertThat(
        error(words, Mode.BATCH, "source=/data/x.jsonl", "output=file:/o"),
        containsString("parameter source: '/data/x.jsonl' is not a uri; expected a file: path"));
    assertThat(
        error(words, Mode.BATCH, "source=kafka://nohost/t", "output=file:/o"),
        containsString("parameter source: 'kafka://nohost/t' is not a valid Kafka location"));
  }

  @Test
  void anIntADoubleAndATimeAreChecked() {
    String[] ok = {"from=2026-01-01T00:00:00Z", "to=2026-01-01T01:00:00Z", "output=file:/o"};
    assertThat(
        error(hourly, Mode.BATCH, ok[0], ok[1], ok[2], "minRequests=2.5"),
        containsString("parameter minRequests: '2.5' is not an int; expected a whole number"));
    assertThat(
        error(hourly, Mode.BATCH, ok[0], ok[1], ok[2], "errorRateThreshold=five"),
        containsString("parameter errorRateThreshold: 'five' is not a double"));
    assertThat(
        error(hourly, Mode.BATCH, "from=yesterday", ok[1], ok[2]),
        containsString("parameter from: 'yesterday' is not a time; expected an ISO-8601 instant"));
    assertThat(
        TemplateParameters.flags(hourly, Mode.BATCH, TemplateParameters.parse(List.of(ok))).get(0),
        containsString("--input=kafka://127.0.0.1:9092/logs?start=2026-01-01T00:00:00Z&stop="));
  }

  @Test
  void aBatchRunNeedsABoundedInputAndAStreamALiveTopic() {
    assertThat(
        error(words, Mode.BATCH, "source=kafka://127.0.0.1:9092/t", "output=file:/o"),
        containsString(
            "template words, mode batch: input kafka://127.0.0.1:9092/t (from parameter source)"
                + " has no stop=; a batch run reads a bounded range: add ?stop=now"));
  }

  @Test
  void aMalformedPairOrATwiceGivenNameIsRefused() {
    assertThat(
        error(words, Mode.BATCH, "source"),
        containsString("--param 'source': expected name=value"));
    assertThat(
        error(words, Mode.BATCH, "source=file:/a", "source=file:/b"),
        containsString("--param source is given twice"));
  }

  @Test
  void aModeTheTemplateLacksIsNamed() {
    assertThat(
        error(hourly, Mode.STREAM, "output=file:/o"),
        containsString("template hourly has no stream mode; modes: batch"));
  }
}
