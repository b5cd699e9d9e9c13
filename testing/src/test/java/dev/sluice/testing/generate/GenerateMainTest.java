package dev.sluice.testing.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.launcher.generate.GenerateMain;
import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class GenerateMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return GenerateMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void writesTheSameLinesAsTheGeneratorToAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("w.jsonl");
    assertEquals(
        0, run("words", "--events=300", "--seed=9", "--malformed=0.1", "--output=file:" + file));
    GeneratedEvents expected =
        Generators.named("words")
            .orElseThrow()
            .generate(GeneratorSettings.defaults().withEvents(300).withSeed(9).withMalformed(0.1));
    assertEquals(expected.lines(), Files.readAllLines(file));
    assertThat(
        out.toString(),
        containsString(
            "generated 300 words events ("
                + expected.malformedLineNumbers().size()
                + " malformed"));
  }

  @Test
  void writesToKafkaWithEachRecordsEventTimeAsItsTimestamp(KafkaBroker broker) {
    assertEquals(
        0, run("words", "--events=50", "--output=" + broker.uri("gen-words"), "--partitions=3"));
    List<ConsumerRecord<String, String>> records = broker.readAll("gen-words");
    GeneratedEvents expected =
        Generators.named("words")
            .orElseThrow()
            .generate(GeneratorSettings.defaults().withEvents(50));
    assertEquals(50, records.size());
    for (ConsumerRecord<String, String> r : records) {
      int i = expected.lines().indexOf(r.value());
      assertEquals(expected.eventTimes().get(i).longValue(), r.timestamp(), r.value());
    }
  }

  @Test
  void badCommandsAndFlagsSayWhatIsAllowed() {
    assertEquals(2, run("nonsense", "--output=file:x"));
    assertThat(err.toString(), containsString("unknown kind 'nonsense'; kinds: "));
    assertEquals(2, run("words", "--colour=red", "--output=file:x"));
    assertThat(err.toString(), containsString("unknown flag --colour for generate; allowed: --"));
    assertEquals(2, run("words", "--events=many", "--output=file:x"));
    assertThat(err.toString(), containsString("--events: 'many' is not a whole number"));
    assertEquals(2, run("words", "--late=2", "--output=file:x"));
    assertThat(err.toString(), containsString("--late must be a share in [0, 1]"));
    assertEquals(2, run("words", "--events=5"));
    assertThat(err.toString(), containsString("--output is required"));
  }
}
