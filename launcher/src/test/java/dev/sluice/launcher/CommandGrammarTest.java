package dev.sluice.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.launcher.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command and subcommand of the launcher's tree ({@link Commands}) follows the one grammar:
 * {@code --help} prints its usage and exits 0; an unknown flag is one line naming it, exit 2.
 */
class CommandGrammarTest {

  /** What one invocation returned and printed. */
  private record Run(int code, String out, String err) {}

  private static Run run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Cli.execute(
            new Commands(),
            "sluice",
            args.toArray(new String[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The path of every command in the tree, from the root's subcommands down. */
  static Stream<List<String>> commands() {
    List<List<String>> paths = new ArrayList<>();
    walk(new CommandLine(new Commands()), List.of(), paths);
    return paths.stream();
  }

  private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(path);
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> child = new ArrayList<>(path);
              child.add(name);
              walk(sub, child, paths);
            });
  }

  @Test
  void theTreeHasEveryToolCommand() {
    List<String> names = commands().map(p -> String.join(" ", p)).toList();

    assertThat(
        names,
        hasItems(
            "kafka produce",
            "kafka consume",
            "kafka status",
            "generate list",
            "postgres start",
            "postgres stop",
            "postgres status",
            "ledger query",
            "ledger history"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void helpPrintsTheUsageNamingTheCommand(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");

    Run result = run(args);

    assertEquals(0, result.code(), result.toString());
    String name = String.join(" ", Stream.concat(Stream.of("sluice"), path.stream()).toList());
    assertThat(result.out(), startsWith("Usage: " + name + " "));
    assertEquals("", result.err());
  }

  @ParameterizedTest
  @MethodSource("commands")
  void anUnknownFlagIsOneLineNamingItAndWhatIsAllowed(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--no-such-flag=1");

    Run result = run(args);

    assertEquals(Cli.USAGE, result.code(), result.toString());
    String name = String.join(" ", Stream.concat(Stream.of("sluice"), path.stream()).toList());
    assertThat(result.err(), startsWith(name + ": unknown flag --no-such-flag for "));
    assertThat(result.err(), containsString("; allowed: "));
    assertEquals(1, result.err().lines().count(), result.err());
    assertEquals("", result.out());
  }

  @Test
  void badValuesNameTheFlagAndWhatIsAllowed() {
    assertEquals(
        "sluice kafka consume: --timeout: '10' is not a duration; use a whole number and a unit"
            + " ms, s, m, h or d (e.g. 30s, 10m, 1h)\n",
        run(List.of("kafka", "consume", "--bootstrap=h:1", "--topic=t", "--timeout=10")).err());
    assertEquals(
        "sluice kafka consume: --from: 'middle' is not allowed; allowed: earliest, latest\n",
        run(List.of("kafka", "consume", "--bootstrap=h:1", "--topic=t", "--from=middle")).err());
    assertEquals(
        "sluice postgres start: --port: 'five' is not a whole number\n",
        run(List.of("postgres", "start", "--port=five")).err());
    assertEquals(
        "sluice postgres start: --for: '0h' must be longer than zero\n",
        run(List.of("postgres", "start", "--for=0h")).err());
    assertEquals(
        "sluice generate: --late: 'some' is not a number\n",
        run(List.of("generate", "words", "--late=some", "--output=file:x")).err());
    assertEquals(
        "sluice kafka consume: --follow takes no value; write just --follow\n",
        run(List.of("kafka", "consume", "--bootstrap=h:1", "--topic=t", "--follow=yes")).err());
  }

  @Test
  void missingArgumentsAreNamed() {
    Run noTopic = run(List.of("kafka", "produce", "--bootstrap=h:1"));
    assertEquals(Cli.USAGE, noTopic.code());
    assertEquals(
        "sluice kafka produce: a topic is required: TOPIC or --topic=NAME\n", noTopic.err());

    Run noAccount = run(List.of("ledger", "query", "--db=jdbc:postgresql://h:1/d"));
    assertEquals(Cli.USAGE, noAccount.code());
    assertEquals("sluice ledger query: ACCOUNT is required\n", noAccount.err());

    Run noCommand = run(List.of("kafka"));
    assertEquals(Cli.USAGE, noCommand.code());
    assertEquals(
        "sluice kafka: a command is required; commands: start, stop, status, produce, consume,"
            + " bench\n",
        noCommand.err());

    Run unknownCommand = run(List.of("postgres", "begin"));
    assertEquals(Cli.USAGE, unknownCommand.code());
    assertEquals(
        "sluice postgres: unknown command 'begin'; commands: start, stop, status\n",
        unknownCommand.err());
  }
}
