package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.generate.LedgerCommandsGenerator;
import dev.sluice.pipelines.ledger.LedgerModel;
import dev.sluice.testing.JobRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sluice run ledger-commands} on one runner over a shuffled file of random commands
 * (valid, refused, repeated and unreadable ones): the event log and the rejects equal {@link
 * LedgerModel}'s, whatever order the lines come in. A runner module extends this class and says how
 * to select its runner.
 */
public abstract class LedgerCommandsConformance {
  @TempDir Path dir;

  /** The flags that select this runner, e.g. {@code --runner=flink}. */
  protected abstract List<String> runnerFlags();

  /**
   * {@code n} generated commands over 40 accounts and 6 hours (3 % unreadable, refused ones and
   * retries included); the test shuffles them: the ledger must apply them in time order whatever
   * order they come in.
   */
  public static GeneratedEvents commands(long seed, int n) {
    return new LedgerCommandsGenerator()
        .generate(
            GeneratorSettings.defaults()
                .withSeed(seed)
                .withEvents(n)
                .withSpan(java.time.Duration.ofHours(6))
                .withKeys(40)
                .withSkew(0.8)
                .withMalformed(0.03));
  }

  @Test
  void theEventLogAndTheRejectsEqualTheReferenceModel() throws IOException {
    GeneratedEvents generated = commands(17, 3_000);
    // Shuffle the line indices, so that each shuffled line still knows whether it was generated
    // malformed.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < generated.lines().size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(17));
    List<String> commands = order.stream().map(generated.lines()::get).toList();
    List<BadInputCheck.Letter> malformed = new ArrayList<>();
    for (int at = 0; at < order.size(); at++) {
      if (generated.malformedLineNumbers().contains(order.get(at) + 1)) {
        malformed.add(new BadInputCheck.Letter(String.valueOf(at + 1), commands.get(at)));
      }
    }
    Path input = Files.write(dir.resolve("commands.jsonl"), commands, StandardCharsets.UTF_8);
    JobRun.Result run =
        JobRun.of("ledger-commands")
            .args(
                "--input=file:" + input,
                "--output=file:" + dir.resolve("log/events"),
                "--progressEvery=off")
            .args(runnerFlags())
            .ok();

    LedgerModel.Outcome model = LedgerModel.decide(commands);
    assertThat(model.rejections().size(), greaterThan(100));
    assertThat(model.deadLetters(), greaterThan(30));
    assertThat(run.lines(), equalTo(sorted(model.eventLines())));
    assertThat(run.lines(".rejects"), equalTo(sorted(model.rejectionLines())));
    assertThat(model.deadLetters(), equalTo(generated.malformedLineNumbers().size()));
    BadInputCheck.deadLettersAre("ledger-commands", run.deadLetterLines(), malformed);
    assertThat(
        model.rejections().stream().map(r -> r.kind()).distinct().sorted().toList(),
        equalTo(
            List.of(
                "account-exists",
                "duplicate-command",
                "overdraft",
                "unknown-account",
                "unknown-recipient")));
    assertThat(run.stderr(), containsString(model.deadLetters() + " dead letters"));
    assertThat(run.counts().deadLetters(), equalTo((long) model.deadLetters()));
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    Collections.sort(copy);
    return copy;
  }
}
