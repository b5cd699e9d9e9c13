package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.testing.OutputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sluice run word-count --runner=<runner>} as a user types it, in its own process,
 * compared with the reference model. Runner modules run it as an integration test, after packaging,
 * on the classpath the launcher picks for the runner.
 */
public abstract class LauncherConformance {
  /** The value of {@code --runner}: direct, flink or spark. */
  protected abstract String runner();

  @Test
  void theLauncherWritesExactlyTheReferenceModelsLines() throws Exception {
    Path dir = workDir();
    Path input = dir.resolve("in/lines.jsonl");
    List<String> lines =
        WordLinesGenerator.create()
            .seed(99)
            .events(2_500)
            .malformedShare(0.02)
            .writeTo(input)
            .lines();
    Result result =
        sluice(
            "run",
            "word-count",
            "--runner=" + runner(),
            "--input=file:" + input,
            "--output=file:" + dir.resolve("out/counts"),
            "--windowSize=15m",
            "--windowPeriod=5m");
    assertThat(result.output(), result.exitCode(), equalTo(0));
    List<String> expected =
        new ArrayList<>(
            SlidingWordCountModel.compute(
                lines, Duration.standardMinutes(15), Duration.standardMinutes(5)));
    expected.sort(null);
    assertThat(expected.size(), greaterThan(300));
    assertThat(OutputFiles.sortedLines(dir.resolve("out/counts")), equalTo(expected));
  }

  /** A fresh folder under the module's target/. */
  protected Path workDir() throws IOException {
    return Files.createTempDirectory(
        Files.createDirectories(Path.of("target", "launcher").toAbsolutePath()), runner() + "-");
  }

  /** The repository root, where {@code ./sluice} lives. */
  protected static Path repoRoot() {
    String root = System.getProperty("sluice.repo.root");
    if (root == null) {
      throw new IllegalStateException("system property sluice.repo.root is not set (see pom.xml)");
    }
    return Path.of(root);
  }

  /** What a launcher run printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {}

  /**
   * The longest one launcher run may take: far beyond what any run of these tests needs, and under
   * the {@code @Timeout} of the integration tests that use it, so that this bound (which stops the
   * process) fires first.
   */
  public static final java.time.Duration PROCESS_TIMEOUT = java.time.Duration.ofMinutes(5);

  /** Runs {@code ./sluice args...} and waits for it, at most {@link #PROCESS_TIMEOUT}. */
  public static Result sluice(String... args) throws IOException, InterruptedException {
    return sluice(Map.of(), args);
  }

  /**
   * Runs {@code ./sluice args...} with {@code env} added to a clean environment (without
   * SLUICE_DEBUG and SLUICE_LOG_LEVEL unless {@code env} sets them).
   */
  public static Result sluice(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(repoRoot().resolve("sluice").toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("sluice-launcher", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(repoRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().remove("SLUICE_DEBUG");
    builder.environment().remove("SLUICE_LOG_LEVEL");
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "./sluice "
                + String.join(" ", args)
                + " did not end in "
                + PROCESS_TIMEOUT.toMinutes()
                + " min");
      }
    } finally {
      // Also when interrupted (a test's @Timeout): no launcher or job process outlives its test.
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
    String output = Files.readString(log);
    Files.delete(log);
    return new Result(process.exitValue(), output);
  }
}
