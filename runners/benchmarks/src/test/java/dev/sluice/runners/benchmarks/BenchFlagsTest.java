package dev.sluice.runners.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.launcher.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.ParameterException;

/**
 * ./sluice bench refuses a bad flag before it runs anything, naming the flag and what is allowed.
 */
class BenchFlagsTest {
  @Test
  void sizesTakeWholeNumbersInPlainAndExponentForm() {
    Bench.BenchSettings settings =
        Bench.BenchSettings.parse(new String[] {"--events=1e6,100_000,2.5e3", "--runs=2"});
    assertEquals(List.of(2_500L, 100_000L, 1_000_000L), settings.events());
    assertEquals(2, settings.runs());
    assertEquals(Bench.JOBS, settings.jobs());
    assertEquals(List.of(Engine.values()), settings.engines());
    assertEquals(List.of("none", "early=1000", "early=1s"), settings.triggers());
  }

  @Test
  void triggersAreRepeatedAndNoneIsAlwaysTheBase() {
    Bench.BenchSettings settings =
        Bench.BenchSettings.parse(
            new String[] {"--trigger=early=30s", "--trigger=early=100,late=each,lateness=1h"});
    assertEquals(
        List.of("none", "early=30s", "early=100,late=each,lateness=1h"), settings.triggers());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--events=1.5e2|--events must be whole numbers of at least 1000",
        "--events=ten|--events must be whole numbers",
        "--events=100|at least 1000",
        "--runs=0|--runs must be a whole number of at least 1",
        "--warmups=-1|--warmups must be a whole number of at least 0",
        "--engines=direct,flonk|--engines: unknown 'flonk'; allowed: direct, flink, spark,"
            + " native-flink, java",
        "--jobs=wordcount|--jobs: unknown 'wordcount'; allowed: word-count,",
        "--budget=5 minutes|--budget: '5 minutes' is not a duration; use a whole number and a unit",
        "--heap=lots|--heap must be like 8g or 4096m",
        "--trigger=early=soon|--trigger=early=soon: early=soon is not allowed",
        "--trigger=early=1s,discarding|the bench compares each window's final pane with the"
            + " model, so panes must accumulate; leave out discarding",
        "--speed=max|unknown flag --speed for bench; allowed: --budget=..., --duration=...,",
        "--events|--events needs a value: --events=SIZES",
        "1e6|unexpected argument '1e6'; allowed: --budget=...",
        "--mode=streaming|--mode: unknown 'streaming'; allowed: batch, stream",
        "--rates=100|--rates is not a flag of --mode=batch",
        "--duration=30s|--duration is not a flag of --mode=batch",
        "--flink-variant=--fasterCopy|--flink-variant is not a flag of --mode=batch",
      })
  void aBadFlagIsOneLineNamingItAndWhatIsAllowed(String flag, String message) {
    String error =
        Cli.message(
            assertThrows(
                ParameterException.class, () -> Bench.BenchSettings.parse(new String[] {flag})));
    assertTrue(error.contains(message), error);
    assertEquals(1, error.lines().count(), error);
  }

  @Test
  void helpPrintsTheUsageAndABadFlagIsOneLineExitTwo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

    assertEquals(0, Cli.execute(new Bench(), "sluice bench", new String[] {"--help"}, o, e));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: sluice bench "));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--engines=ENGINE,..."));
    assertEquals(2, Cli.execute(new Bench(), "sluice bench", new String[] {"--runs=0"}, o, e));
    assertEquals(
        "sluice bench: --runs must be a whole number of at least 1, was '0'\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void streamModeStepsRatesOverTheStreamingJobsAndEngines() {
    Bench.BenchSettings settings =
        Bench.BenchSettings.parse(
            new String[] {
              "--mode=stream",
              "--rates=4e3,1000,2_000",
              "--duration=30s",
              "--flink-variant=--fasterCopy --maxBundleTimeMills=100"
            });
    assertEquals(List.of(1_000L, 2_000L, 4_000L), settings.rates());
    assertEquals(java.time.Duration.ofSeconds(30), settings.duration());
    assertEquals(
        List.of("word-count", "log-analytics", "risk-control", "trending-items"), settings.jobs());
    assertEquals(
        List.of(Engine.DIRECT, Engine.FLINK, Engine.SPARK, Engine.NATIVE_FLINK),
        settings.engines());
    assertEquals(
        List.of(List.of("--fasterCopy", "--maxBundleTimeMills=100")), settings.flinkVariants());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--events=1e5|--events is not a flag of --mode=stream",
        "--trigger=early=1s|--trigger is not a flag of --mode=stream",
        "--engines=java|--engines: unknown 'java'; allowed: direct, flink, spark, native-flink",
        "--jobs=sketch|--jobs: unknown 'sketch'; allowed: word-count, log-analytics,"
            + " risk-control, trending-items",
        "--duration=10s|--duration: at least 20s (a warm-up of a third, at least 10s, comes first),"
            + " was 10s",
        "--rates=0|--rates must be whole numbers of at least 1",
        "--flink-variant=fasterCopy|--flink-variant: 'fasterCopy' is not a FlinkRunner flag",
      })
  void aBadStreamFlagIsOneLineNamingItAndWhatIsAllowed(String flag, String message) {
    String error =
        Cli.message(
            assertThrows(
                ParameterException.class,
                () -> Bench.BenchSettings.parse(new String[] {"--mode=stream", flag})));
    assertTrue(error.contains(message), error);
    assertEquals(1, error.lines().count(), error);
  }

  @Test
  void theBudgetIsADuration() {
    assertEquals(
        java.time.Duration.ofSeconds(90),
        Bench.BenchSettings.parse(new String[] {"--budget=90s"}).budget());
    assertEquals(
        "./sluice bench --budget=90s",
        Bench.BenchSettings.parse(new String[] {"--budget=90s"}).commandLine());
  }

  @Test
  void theProgramsBenchStartsFollowTheSameGrammar() {
    for (Object command :
        List.of(
            new SketchFigures.Main(),
            new PartitionFigures.Main(),
            new PlainJava(),
            new dev.sluice.runners.benchmarks.nativeflink.NativeFlink())) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
      PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

      assertEquals(0, Cli.execute(command, "figures", new String[] {"--help"}, o, e));
      assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: figures "));
      assertEquals(2, Cli.execute(command, "figures", new String[] {"--bogus=1"}, o, e));
      assertTrue(
          err.toString(StandardCharsets.UTF_8).startsWith("figures: unknown flag --bogus for "),
          err.toString(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(
        2,
        Cli.execute(
            new SketchFigures.Main(), "sketch", new String[] {"--lgK=10,x"}, System.out, e));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .startsWith("sketch: --lgK must be whole numbers of at least 1 separated by commas"),
        err.toString(StandardCharsets.UTF_8));
  }
}
