package dev.sluice.runners.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        "--budget=5 minutes|--budget must be a whole number of s, m or h",
        "--heap=lots|--heap must be like 8g or 4096m",
        "--speed=max|unknown flag --speed; allowed: --jobs, --events",
        "--events|expected --name=value, got '--events'",
      })
  void aBadFlagIsOneLineNamingItAndWhatIsAllowed(String flag, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Bench.BenchSettings.parse(new String[] {flag}));
    assertTrue(e.getMessage().startsWith("bench: "), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
