package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.pipelines.cli.Sluice;
import dev.sluice.pipelines.ledger.LedgerModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sluice run ledger-commands} on one runner over a shuffled file of random commands
 * (valid, refused, repeated and unreadable ones): the event log and the rejects equal {@link
 * LedgerModel}'s, whatever order the lines come in. A runner module extends this class and says
 * how to select its runner.
 */
public abstract class LedgerCommandsConformance {
  @TempDir Path dir;

  /** The flags that select this runner, e.g. {@code --runner=flink}. */
  protected abstract List<String> runnerFlags();

  /** Commands over 40 accounts, each at its own second; ~3 % unreadable; shuffled in the file. */
  public static List<String> randomCommands(long seed, int n) {
    Random random = new Random(seed);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<String> lines = new ArrayList<>();
    String[] types = {"open", "deposit", "deposit", "withdraw", "transfer", "transfer"};
    for (int i = 0; i < n; i++) {
      String account = "acc-" + random.nextInt(40);
      String type = i < 30 ? "open" : types[random.nextInt(types.length)];
      String id = random.nextInt(50) == 0 && i > 0 ? "c-" + random.nextInt(i) : "c-" + i;
      StringBuilder line = new StringBuilder();
      line.append(String.format("{\"command_id\":\"%s\",\"type\":\"%s\",\"account\":\"%s\"", id,
          type, account));
      if (!type.equals("open")) {
        line.append(String.format(",\"amount\":%d.%02d", random.nextInt(200), random.nextInt(100)));
      }
      if (type.equals("transfer")) {
        String to = "acc-" + random.nextInt(45);
        line.append(",\"to\":\"").append(to.equals(account) ? "acc-0" : to).append('"');
      }
      line.append(",\"ts\":\"").append(t0.plusSeconds(i)).append("\"}");
      lines.add(random.nextInt(33) == 0 ? line.substring(0, line.length() / 2) : line.toString());
    }
    Collections.shuffle(lines, random);
    return lines;
  }

  @Test
  void theEventLogAndTheRejectsEqualTheReferenceModel() throws IOException {
    List<String> commands = randomCommands(17, 3_000);
    Path input = Files.write(dir.resolve("commands.jsonl"), commands, StandardCharsets.UTF_8);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args =
        new ArrayList<>(
            List.of(
                "run", "ledger-commands", "--input=file:" + input,
                "--output=file:" + dir.resolve("log/events"), "--progressEvery=off"));
    args.addAll(runnerFlags());
    int code =
        Sluice.run(
            args.toArray(new String[0]), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(stderr, code, equalTo(Sluice.OK));

    LedgerModel.Outcome model = LedgerModel.decide(commands);
    assertThat(model.rejections().size(), greaterThan(100));
    assertThat(model.deadLetters(), greaterThan(30));
    assertThat(sorted(lines(dir.resolve("log"), "events-")), equalTo(sorted(model.eventLines())));
    assertThat(
        sorted(lines(dir.resolve("log"), "events.rejects")),
        equalTo(sorted(model.rejectionLines())));
    assertThat(
        lines(dir.resolve("log"), "events.dead-letters").size(), equalTo(model.deadLetters()));
    assertThat(stderr, containsString(model.deadLetters() + " dead letters"));
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    Collections.sort(copy);
    return copy;
  }

  private static List<String> lines(Path folder, String prefix) {
    try (Stream<Path> files = Files.list(folder)) {
      List<String> all = new ArrayList<>();
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
        all.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
