package dev.sluice.pipelines.fuzz;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzes every job's record parser with jqwik: each input, a valid line mutated ({@link Mutator})
 * or random text, must end as a usable value or a dead letter, never as another exception (see
 * {@link Verdict}). The number of inputs per parser is jqwik's default number of tries, set from
 * {@code -Dsluice.fuzz.tries} in the pom; the report prints, per parser, the inputs, how many
 * parsed, the dead letters by kind and the inputs per second. At least {@value #MIN_PARSED_PERCENT}
 * % of the inputs must parse, or the mutations would only test the first check of a parser.
 */
class ParserFuzzTest {
  static final double MIN_PARSED_PERCENT = 1.0;

  private FuzzedParser<?> fuzzed;
  private long inputs;
  private long parsed;
  private long started;

  @BeforeProperty
  void startClock() {
    started = System.nanoTime();
  }

  @AfterProperty
  void printFigures() {
    if (fuzzed == null) {
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "fuzz %s: %d inputs, %d parsed (%.1f %%), %d dead letters, %.1f s, %.0f inputs/s%n",
        fuzzed.name(),
        inputs,
        parsed,
        100.0 * parsed / inputs,
        inputs - parsed,
        seconds,
        inputs / seconds);
  }

  @Property(
      generation = GenerationMode.RANDOMIZED,
      edgeCases = EdgeCasesMode.NONE,
      shrinking = ShrinkingMode.OFF)
  void textEventsParseOrAreDeadLetters(@ForAll("textEvents") String line) {
    judge(JobParsers.TEXT_EVENT, line);
  }

  @Property(
      generation = GenerationMode.RANDOMIZED,
      edgeCases = EdgeCasesMode.NONE,
      shrinking = ShrinkingMode.OFF)
  void accessLogsParseOrAreDeadLetters(@ForAll("accessLogs") String line) {
    judge(JobParsers.ACCESS_LOG, line);
  }

  @Property(
      generation = GenerationMode.RANDOMIZED,
      edgeCases = EdgeCasesMode.NONE,
      shrinking = ShrinkingMode.OFF)
  void riskRecordsParseOrAreDeadLetters(@ForAll("riskRecords") String line) {
    judge(JobParsers.RISK_RECORD, line);
  }

  @Property(
      generation = GenerationMode.RANDOMIZED,
      edgeCases = EdgeCasesMode.NONE,
      shrinking = ShrinkingMode.OFF)
  void sensorReadingsParseOrAreDeadLetters(@ForAll("sensorReadings") String line) {
    judge(JobParsers.SENSOR_READING, line);
  }

  @Property(
      generation = GenerationMode.RANDOMIZED,
      edgeCases = EdgeCasesMode.NONE,
      shrinking = ShrinkingMode.OFF)
  void clickEventsParseOrAreDeadLetters(@ForAll("clickEvents") String line) {
    judge(JobParsers.CLICK_EVENT, line);
  }

  @Property(
      generation = GenerationMode.RANDOMIZED,
      edgeCases = EdgeCasesMode.NONE,
      shrinking = ShrinkingMode.OFF)
  void ledgerCommandsParseOrAreDeadLetters(@ForAll("ledgerCommands") String line) {
    judge(JobParsers.LEDGER_COMMAND, line);
  }

  @Property(
      generation = GenerationMode.RANDOMIZED,
      edgeCases = EdgeCasesMode.NONE,
      shrinking = ShrinkingMode.OFF)
  void ledgerEventsParseOrAreDeadLetters(@ForAll("ledgerEvents") String line) {
    judge(JobParsers.LEDGER_EVENT, line);
  }

  @Provide
  Arbitrary<String> textEvents() {
    return inputsOf(JobParsers.TEXT_EVENT);
  }

  @Provide
  Arbitrary<String> accessLogs() {
    return inputsOf(JobParsers.ACCESS_LOG);
  }

  @Provide
  Arbitrary<String> riskRecords() {
    return inputsOf(JobParsers.RISK_RECORD);
  }

  @Provide
  Arbitrary<String> sensorReadings() {
    return inputsOf(JobParsers.SENSOR_READING);
  }

  @Provide
  Arbitrary<String> clickEvents() {
    return inputsOf(JobParsers.CLICK_EVENT);
  }

  @Provide
  Arbitrary<String> ledgerCommands() {
    return inputsOf(JobParsers.LEDGER_COMMAND);
  }

  @Provide
  Arbitrary<String> ledgerEvents() {
    return inputsOf(JobParsers.LEDGER_EVENT);
  }

  private static Arbitrary<String> inputsOf(FuzzedParser<?> parser) {
    Mutator mutator = new Mutator(parser.validLines());
    return Arbitraries.randomValue(mutator::next);
  }

  private void judge(FuzzedParser<?> parser, String input) {
    Verdict verdict = Verdict.of(parser, input);
    if (fuzzed == null) {
      fuzzed = parser;
      Statistics.label("outcome")
          .coverage(
              coverage -> coverage.check(Verdict.PARSED).percentage(p -> p > MIN_PARSED_PERCENT));
    }
    inputs++;
    if (verdict.parsed()) {
      parsed++;
    }
    Statistics.label("outcome").collect(verdict.parsed() ? Verdict.PARSED : "dead letter");
    Statistics.label("kind").collect(verdict.kind());
  }
}
