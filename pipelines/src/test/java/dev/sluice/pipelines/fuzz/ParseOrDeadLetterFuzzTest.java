package dev.sluice.pipelines.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.transforms.quality.DeadLetter;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.quality.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every job's parser inside {@link ParseOrDeadLetter} on the DirectRunner, over a sample of fuzz
 * inputs: each input comes out once, parsed or as a dead letter, none of kind {@code parser-error};
 * the parsed values are emitted at their event time (which Beam refuses outside its range) and
 * encoded with their coders. The expected split is the parser's own answer for each input, called
 * directly.
 */
@ExtendWith(TestPipelineExtension.class)
class ParseOrDeadLetterFuzzTest {
  private static final int INPUTS_PER_PARSER = 500;

  @Test
  void everyFuzzedInputEndsParsedOrAsADeadLetterOfItsKind(TestPipeline p) {
    long seed = 20261122L;
    for (FuzzedParser<?> parser : JobParsers.ALL) {
      parseSample(p, parser, new Random(seed++));
    }
    p.run().waitUntilFinish();
  }

  private static <T> void parseSample(TestPipeline p, FuzzedParser<T> parser, Random random) {
    Mutator mutator = new Mutator(parser.validLines());
    List<RawRecord> records = new ArrayList<>();
    long parsed = 0;
    List<String> deadKinds = new ArrayList<>();
    for (int i = 0; i < INPUTS_PER_PARSER; i++) {
      String input = asASourceReadsIt(mutator.next(random));
      records.add(RawRecord.of("fuzz", Integer.toString(i), input));
      Verdict verdict = Verdict.of(parser, input);
      if (verdict.parsed()) {
        parsed++;
      } else {
        deadKinds.add(verdict.kind());
      }
    }
    assertTrue(parsed > 0 && !deadKinds.isEmpty(), parser + ": a degenerate sample");

    String name = parser.name();
    ParseOrDeadLetter.Result<T> result =
        p.apply(name + "/Inputs", Create.of(records).withCoder(RawRecord.Coder.of()))
            .apply(
                name + "/Parse",
                ParseOrDeadLetter.with(parser.parser(), parser.coder())
                    .withEventTime(parser.eventTime()));
    PCollection<String> kinds =
        result
            .deadLetters()
            .apply(
                name + "/Kinds", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::kind));
    PAssert.that(name + "/DeadLetterKinds", kinds).containsInAnyOrder(deadKinds);
    PAssert.that(
            name + "/NoParserErrors",
            kinds.apply(name + "/ParserErrors", Filter.equal(ParseOrDeadLetter.PARSER_ERROR)))
        .empty();
    PAssert.that(
            name + "/ParsedCount",
            result
                .parsed()
                .apply(
                    name + "/Ones", MapElements.into(TypeDescriptors.longs()).via((T value) -> 1L))
                .apply(name + "/Count", org.apache.beam.sdk.transforms.Sum.longsGlobally()))
        .containsInAnyOrder(parsed);
  }

  /**
   * The input as a file or Kafka source hands it over: decoded from UTF-8, so with U+FFFD where a
   * random lone surrogate stood (a JSON escape of one stays, and is the parser's to refuse).
   */
  private static String asASourceReadsIt(String input) {
    return new String(input.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
