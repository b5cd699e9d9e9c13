package dev.sluice.runners.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.launcher.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./sluice cluster spark} and each of its commands follow the launcher's grammar: {@code
 * --help} prints the usage, exit 0; an unknown flag or a number out of range is one line naming it,
 * exit 2. Nothing starts; {@code stop} is tried on pid files that name no Spark process.
 */
class SparkClusterMainTest {

  private static String[] run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Cli.execute(
            new SparkClusterMain(),
            SparkClusterMain.NAME,
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
    commands.addAll(new CommandLine(new SparkClusterMain()).getSubcommands().keySet());
    assertEquals(List.of("", "start", "stop", "status"), commands);

    for (String command : commands) {
      List<String> path = command.isEmpty() ? List.of() : List.of(command);
      String name = (SparkClusterMain.NAME + " " + command).strip();

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
  void missingAndBadFlagsAreNamed() {
    String[] noDir = run(List.of("status"));
    assertEquals("2", noDir[0]);
    assertEquals("sluice cluster spark status: --dir is required: --dir=DIR\n", noDir[2]);

    String[] cores = run(List.of("start", "--dir=d", "--jars-file=j", "--cores=0"));
    assertEquals("2", cores[0]);
    assertEquals("sluice cluster spark start: --cores must be in [1, 64], got 0\n", cores[2]);

    String[] noWorker = run(List.of("start", "--dir=d", "--jars-file=j", "--workers=0"));
    assertEquals("2", noWorker[0]);
    assertEquals("sluice cluster spark start: --workers must be in [1, 8], got 0\n", noWorker[2]);

    String[] tooMany = run(List.of("start", "--dir=d", "--jars-file=j", "--workers=9"));
    assertEquals("2", tooMany[0]);
    assertEquals("sluice cluster spark start: --workers must be in [1, 8], got 9\n", tooMany[2]);

    // Three workers take three web UI ports from the one given.
    String[] ports =
        run(
            List.of(
                "start", "--dir=d", "--jars-file=j", "--workers=3", "--worker-webui-port=65535"));
    assertEquals("2", ports[0]);
    assertEquals(
        "sluice cluster spark start: --worker-webui-port must be in [0, 65533], got 65535\n",
        ports[2]);
  }

  /**
   * {@code stop} signals only pids that are still that folder's workers or master: pid files (of
   * the several-worker layout and of the older single {@code worker.pid}) naming another program
   * are removed, and that program lives on.
   */
  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void stopLeavesAPidThatIsNotTheFoldersAloneAndRemovesItsFiles(@TempDir Path dir)
      throws Exception {
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      List<String> pidFiles = List.of("master.pid", "worker.pid", "worker-1.pid", "worker-2.pid");
      for (String file : pidFiles) {
        Files.writeString(dir.resolve(file), other.pid() + "\n");
      }
      String[] stopped = run(List.of("stop", "--dir=" + dir));
      assertEquals("0", stopped[0], stopped[2]);
      // A signalled sleep would be gone well within the second.
      assertFalse(other.waitFor(1, TimeUnit.SECONDS), "the other program was signalled");
      for (String file : pidFiles) {
        assertFalse(Files.exists(dir.resolve(file)), file + " is left");
      }
    } finally {
      other.destroyForcibly();
    }
  }
}
