package dev.sluice.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command {@code ./sluice} passes to the launcher answers {@code --help} with its usage and
 * exit 0 (the commands of {@link Commands} are walked one by one in {@code CommandGrammarTest}; the
 * runner modules' commands in their own modules), and an unknown command is one line, exit 2.
 */
class SluiceHelpTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "--help",
        "help",
        "list --help",
        "run --help",
        "template --help",
        "kafka --help",
        "kafka start --help",
        "generate --help",
        "postgres --help",
        "ledger --help",
        "cluster --help"
      })
  void helpPrintsTheUsageAndExitsZero(String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Sluice.run(
            command.split(" "),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(err.toString(StandardCharsets.UTF_8), code, equalTo(Sluice.OK));
    assertThat(printed, containsString("Usage"));
    List<String> words = List.of(command.split(" "));
    if (!words.get(0).startsWith("-") && !words.get(0).equals("help")) {
      assertThat(printed, containsString(words.get(0)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"frobnicate", "cluster hadoop start"})
  void anUnknownCommandIsOneLineAndExitsTwo(String command) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Sluice.run(
            command.split(" "),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = err.toString(StandardCharsets.UTF_8);
    assertThat(printed, code, equalTo(Sluice.USAGE));
    assertThat(printed, printed.strip().lines().count(), equalTo(1L));
    assertThat(printed, containsString("unknown"));
  }
}
