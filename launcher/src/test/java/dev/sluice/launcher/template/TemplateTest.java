package dev.sluice.launcher.template;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.launcher.template.Template.Mode;
import dev.sluice.launcher.template.Template.Parameter;
import dev.sluice.launcher.template.Template.Type;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A template file: what it declares, and a clear error for each mistake in it. */
class TemplateTest {
  static final String WORDS =
      "{\"job\":\"word-count\",\"description\":\"Word counts\","
          + "\"modes\":{\"stream\":{\"input\":\"kafka://127.0.0.1:9092/${topic}\"},"
          + "\"batch\":{\"input\":\"${source}\"}},\"parameters\":["
          + "{\"name\":\"source\",\"type\":\"uri\",\"required\":true,\"help\":\"files\",\"modes\":[\"batch\"]},{\"name\":\"topic\",\"type\":\"string\",\"required\":true,\"help\":\"a"
          + " topic\",\"pattern\":\"[a-z-]+\",\"modes\":[\"stream\"]},"
          + "{\"name\":\"output\",\"type\":\"uri\",\"required\":true,\"help\":\"out\",\"flag\":\"output\"},"
          + "{\"name\":\"windowSize\",\"type\":\"duration\",\"default\":\"10m\",\"help\":\"size\","
          + "\"flag\":\"windowSize\"},"
          + "{\"name\":\"level\",\"type\":\"enum\",\"allowed\":[\"low\",\"high\"],\"default\":\"low\",\"help\":\"a"
          + " level\"}]}";

  @Test
  void declaresTheJobModesAndParameters() {
    Template t = Template.parse("words", WORDS);
    assertThat(t.name(), equalTo("words"));
    assertThat(t.job(), equalTo("word-count"));
    assertThat(List.copyOf(t.modes()), contains(Mode.BATCH, Mode.STREAM));
    assertThat(t.inputFor(Mode.BATCH), equalTo("${source}"));
    Parameter size = t.parameters().get("windowSize");
    assertThat(size.type(), equalTo(Type.DURATION));
    assertThat(size.defaultValue(), equalTo(Optional.of("10m")));
    assertThat(size.flag(), equalTo(Optional.of("windowSize")));
    assertThat(t.parameters().get("source").modes(), equalTo(Set.of(Mode.BATCH)));
    assertThat(t.parameters().get("level").allowed(), contains("low", "high"));
  }

  @Test
  void everyCheckedInTemplateParsesAndNamesAKnownJob() {
    Templates templates = Templates.in(Path.of("..", "templates"));
    assertThat(
        templates.names(),
        hasItems(
            "word-count-backfill",
            "log-analytics-live",
            "risk-control-backfill",
            "risk-control-live",
            "iot-sensors-live",
            "trending-items-backfill",
            "log-analytics-hourly-backfill"));
    assertThat(templates.all().size(), equalTo(templates.names().size()));
  }

  private static String error(String name, String json) {
    return assertThrows(IllegalArgumentException.class, () -> Template.parse(name, json))
        .getMessage();
  }

  @Test
  void aFileThatIsNotJsonSaysSo() {
    assertThat(error("x", "{job: "), containsString("template x: not valid JSON"));
  }

  @Test
  void anUnknownJobIsNamedWithTheKnownOnes() {
    assertThat(
        error("x", WORDS.replace("\"word-count\"", "\"word-cont\"")),
        containsString("template x: job: unknown job 'word-cont'; known: word-count"));
  }

  @Test
  void anUnknownTypeListsTheTypes() {
    assertThat(
        error("x", WORDS.replace("\"duration\"", "\"durtion\"")),
        containsString("parameter 'windowSize': unknown type 'durtion'; types: string, int"));
  }

  @Test
  void aDefaultOfTheWrongTypeIsAnError() {
    assertThat(
        error("x", WORDS.replace("\"10m\"", "\"ten\"")),
        containsString("default of parameter windowSize: 'ten' is not a duration"));
  }

  @Test
  void aReferenceToNoParameterIsAnError() {
    assertThat(
        error("x", WORDS.replace("${topic}", "${topc}")),
        containsString("modes.stream.input: '${topc}' names no parameter"));
  }

  @Test
  void aMisspelledFieldIsNamed() {
    assertThat(
        error("x", WORDS.replace("\"help\":\"size\"", "\"hlep\":\"size\"")),
        containsString("parameter 'windowSize': unknown field 'hlep'"));
  }

  @Test
  void anEnumWithoutAllowedValuesIsAnError() {
    assertThat(
        error("x", WORDS.replace("\"allowed\":[\"low\",\"high\"],", "")),
        containsString("parameter 'level': an enum needs its allowed values"));
  }

  @Test
  void anUnknownModeIsNamed() {
    assertThat(
        error("x", WORDS.replace("\"batch\":{", "\"bach\":{")),
        containsString("modes: unknown mode 'bach'; modes: batch, stream"));
  }
}
