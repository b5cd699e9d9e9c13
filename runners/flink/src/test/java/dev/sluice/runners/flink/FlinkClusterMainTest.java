package dev.sluice.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.launcher.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ./sluice cluster flink} and each of its commands follow the launcher's grammar: {@code
 * --help} prints the usage, exit 0; an unknown flag is one line naming it, exit 2. Nothing starts.
 */
class FlinkClusterMainTest {

  private static String[] run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Cli.execute(
            new FlinkClusterMain(),
            FlinkClusterMain.NAME,
            args.toArray(new String[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {
      Integer.toString(code),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  void everyCommandPrintsItsUsageAndRefusesAnUnknownFlag() {
    List<String> commands = new ArrayList<>(List.of(""));
    commands.addAll(new CommandLine(new FlinkClusterMain()).getSubcommands().keySet());
    assertEquals(List.of("", "start", "stop", "status"), commands);

    for (String command : commands) {
      List<String> path = command.isEmpty() ? List.of() : List.of(command);
      String name = (FlinkClusterMain.NAME + " " + command).strip();

      List<String> help = new ArrayList<>(path);
      help.add("--help");
      String[] helped = run(help);
      assertEquals("0", helped[0], command + ": " + helped[2]);
      assertThat(helped[1], startsWith("Usage: " + name + " "));

      List<String> bad = new ArrayList<>(path);
      bad.add("--colour=red");
      String[] refused = run(bad);
      assertEquals("2", refused[0], command);
      assertThat(refused[2], startsWith(name + ": unknown flag --colour for "));
      assertEquals(1, refused[2].lines().count(), refused[2]);
    }
  }

  @Test
  void aPortOutOfRangeIsNamed() {
    String[] refused = run(List.of("start", "--port=70000"));

    assertEquals("2", refused[0]);
    assertEquals(
        "sluice cluster flink start: --port: '70000' is not a port (1-65535)\n", refused[2]);
  }

  @Test
  void aTaskManagerCountOrSlotCountOutOfRangeIsNamedWithWhatIsAllowed() {
    String[] none = run(List.of("start", "--taskmanagers=0"));
    assertEquals("2", none[0]);
    assertEquals(
        "sluice cluster flink start: --taskmanagers: '0' is not allowed; give 1-8 TaskManagers\n",
        none[2]);

    String[] tooMany = run(List.of("start", "--taskmanagers=9"));
    assertEquals("2", tooMany[0]);
    assertEquals(
        "sluice cluster flink start: --taskmanagers: '9' is not allowed; give 1-8 TaskManagers\n",
        tooMany[2]);

    String[] slots = run(List.of("start", "--taskmanagers=2", "--slots=0"));
    assertEquals("2", slots[0]);
    assertEquals(
        "sluice cluster flink start: --slots: '0' is not allowed; give 1-16 slots per"
            + " TaskManager\n",
        slots[2]);

    String[] word = run(List.of("start", "--taskmanagers=two"));
    assertEquals("2", word[0]);
    assertThat(word[2], startsWith("sluice cluster flink start: --taskmanagers: 'two' "));
    assertEquals(1, word[2].lines().count(), word[2]);
  }

  @Test
  void startsHelpNamesTheShapeFlags() {
    String[] helped = run(List.of("start", "--help"));
    assertEquals("0", helped[0]);
    assertThat(helped[1], org.hamcrest.Matchers.containsString("--taskmanagers=N"));
    assertThat(helped[1], org.hamcrest.Matchers.containsString("--slots=S"));
  }
}
