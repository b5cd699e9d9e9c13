package dev.sluice.runners.benchmarks.nativeflink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.pipelines.risk.Alerts;
import dev.sluice.pipelines.risk.RiskControlModel;
import dev.sluice.pipelines.risk.RiskRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native Flink risk control gives the plain-Java model's alerts: the benchmark's baseline is
 * honest.
 */
class NativeFlinkRiskControlTest {
  @Test
  void alertsEqualTheModelAndEveryMalformedLineIsADeadLetter(@TempDir Path dir) throws Exception {
    // The density the rules are tuned for (2 000 events an hour over 20 accounts), as the
    // benchmark.
    GeneratedEvents events =
        Generators.named("transactions")
            .orElseThrow()
            .generate(
                GeneratorSettings.defaults()
                    .withEvents(10_000)
                    .withSpan(Duration.ofHours(5))
                    .withKeys(20)
                    .withSeed(7)
                    .withMalformed(0.03)
                    .withLate(0.01, Duration.ofMinutes(30)));

    NativeFlinkRun run =
        NativeFlinkRun.of(new NativeFlinkRiskControl(RiskRules.defaults()), events, dir);

    List<String> expected =
        new ArrayList<>(RiskControlModel.compute(events.lines(), RiskRules.defaults()).get(""));
    expected.sort(null);
    for (String rule :
        List.of(
            Alerts.TOO_MANY_TRANSACTIONS,
            Alerts.TOO_MANY_PLACES,
            Alerts.AMOUNT_ABOVE_USUAL,
            Alerts.NO_PROFILE)) {
      assertTrue(
          expected.stream().anyMatch(line -> line.contains("\"rule\":\"" + rule + "\"")),
          "the model raises " + rule + " alerts");
    }
    assertEquals(expected, run.sortedLines("out"));
    assertEquals(events.malformedLineNumbers().size(), run.sortedLines("dead").size());
    assertTrue(events.malformedLineNumbers().size() > 100, "the input had malformed lines");
    assertFalse(events.lateLineNumbers().isEmpty(), "the input had late lines");
  }
}
