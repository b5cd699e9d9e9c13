package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.sluice.launcher.Sluice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The command line users run ({@link Sluice#run}) in this JVM, with its stderr kept for checks. */
public final class SluiceRun {
  private SluiceRun() {}

  /** An exit code and what was said on stderr (the summary, progress, errors). */
  public record Result(int code, String stderr) {}

  /** Runs {@code args} ({@code run <job> ...}, {@code template run ...}). */
  public static Result run(List<String> args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Sluice.run(args.toArray(new String[0]), System.out, errStream);
    }
    return new Result(code, err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code args}, requires exit 0 (failing with the stderr), returns the stderr. */
  public static String ok(List<String> args) {
    Result result = run(args);
    assertThat(result.stderr(), result.code(), is(Sluice.OK));
    return result.stderr();
  }
}
