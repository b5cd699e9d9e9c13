package dev.sluice.runners.direct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.launcher.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ./sluice kafka bench}'s command line, checked before any broker starts. */
class KafkaReadBenchmarkTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Cli.execute(
        new KafkaReadBenchmark(),
        "sluice kafka bench",
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsTheUsage() {
    assertEquals(0, run("--help"));
    assertThat(out.toString(StandardCharsets.UTF_8), startsWith("Usage: sluice kafka bench "));
  }

  @Test
  void badFlagsAreOneLineNamingThem() {
    assertEquals(2, run("--recs=10"));
    assertEquals(
        "sluice kafka bench: unknown flag --recs for bench; allowed: --partitions=...,"
            + " --records=..., --runs=...\n",
        err.toString(StandardCharsets.UTF_8));
    err.reset();
    assertEquals(2, run("--runs=0"));
    assertEquals(
        "sluice kafka bench: --runs: '0' is not allowed; allowed: 1 or more\n",
        err.toString(StandardCharsets.UTF_8));
  }
}
