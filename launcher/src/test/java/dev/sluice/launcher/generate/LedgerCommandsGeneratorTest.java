package dev.sluice.launcher.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.pipelines.ledger.LedgerCommand;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LedgerCommandsGeneratorTest {
  private static final GeneratorSettings SETTINGS =
      GeneratorSettings.defaults().withEvents(5_000).withKeys(30).withMalformed(0.05);

  @Test
  void theSameSettingsGiveTheSameCommands() {
    assertThat(
        new LedgerCommandsGenerator().generate(SETTINGS).lines(),
        equalTo(new LedgerCommandsGenerator().generate(SETTINGS).lines()));
  }

  /** Exactly the reported lines are refused, in all six ways; good ones have distinct times. */
  @Test
  void exactlyTheMalformedLinesAreRefusedAndEveryCommandHasItsOwnTime() {
    GeneratedEvents g = new LedgerCommandsGenerator().generate(SETTINGS);
    TreeSet<Integer> refused = new TreeSet<>();
    Set<String> kinds = new TreeSet<>();
    Set<Long> times = new HashSet<>();
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < g.lines().size(); i++) {
      try {
        LedgerCommand c = LedgerCommand.parse(g.lines().get(i));
        assertThat("time order at line " + (i + 1), c.timestampMillis() > previous, equalTo(true));
        previous = c.timestampMillis();
        times.add(c.timestampMillis());
        assertThat(g.keys().get(i), equalTo(c.account()));
      } catch (InvalidRecordException e) {
        refused.add(i + 1);
        kinds.add(e.kind());
      }
    }
    assertThat(refused, equalTo(g.malformedLineNumbers()));
    assertThat(
        kinds,
        equalTo(
            new TreeSet<>(
                List.of(
                    "not-json",
                    "unknown-type",
                    "missing-field",
                    "out-of-range",
                    "same-account",
                    "bad-timestamp"))));
    assertThat(times.size(), equalTo(g.lines().size() - refused.size()));
    assertThat(refused.size(), greaterThan(150));
  }
}
