package dev.sluice.testing.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.sluice.launcher.OptionsHelp;
import dev.sluice.launcher.Sluice;
import dev.sluice.launcher.jobs.Job;
import dev.sluice.launcher.jobs.Jobs;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.OutputFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every flag of every job refuses bad values before launch: through {@link Sluice#run}, the entry
 * {@code ./sluice run} uses, each bad value ends in exit 2, one line naming the flag, the value and
 * what is allowed, and nothing written (no pipeline ran).
 *
 * <p>Covered: each job's own {@code Options} and the shared {@code JobOptions}, the flags {@code
 * ./sluice run JOB --help} lists ({@link OptionsHelp#flags}); {@link
 * #everyFlagOfEveryJobHasABadValueCase} fails the build when one has no row. Beam's own options
 * ({@code --runner}, {@code --streaming}, {@code --jobName}, ...) are Beam's to check; the rows
 * under "Beam's own parsing" only check that what Beam refuses reaches the user as one line that
 * names the flag.
 */
class BadFlagsTest {
  /** Row job for "every job that declares the flag". */
  private static final String EVERY = "*";

  /** Row job for every job that declares the flag and writes files or topics (not a database). */
  private static final String EVERY_BUT_DATABASE = "* but ledger-projection";

  private static final String WINDOW = "a whole number and a unit ms, s, m, h or d";

  /**
   * The table: job (or {@link #EVERY}), flag, bad value (null: the flag left out), a fragment of
   * what the message must say is allowed. {@code $TMP} stands for the test's folder.
   */
  private static final List<Row> TABLE =
      List.of(
          // Shared JobOptions.
          row(EVERY, "--input", null, "--input is required: Input: a file: path or glob"),
          row(
              EVERY,
              "--input",
              "",
              "allowed: a file: path (or a plain path) or kafka://host:port/topic"),
          row(EVERY, "--input", "s3://bucket/in.jsonl", "a plain path or kafka://host:port/topic"),
          row(EVERY, "--input", "file:$TMP/missing-*.jsonl", "no file matches"),
          row(EVERY, "--input", "kafka://nohost/topic", "is not host:port"),
          echo(
              EVERY,
              "--input",
              "kafka://127.0.0.1:9092/t?stop=later",
              "allowed: now, an offset",
              "stop=later"),
          row(EVERY, "--output", null, "--output is required: Output: a file: prefix"),
          row(
              EVERY_BUT_DATABASE,
              "--output",
              "",
              "allowed: a file: path (or a plain path) or kafka://"),
          row(EVERY_BUT_DATABASE, "--output", "s3://bucket/out", "a plain path or kafka://"),
          echo(
              EVERY_BUT_DATABASE,
              "--output",
              "kafka://127.0.0.1:9092/no topic!",
              "legal Kafka topic name",
              "'no topic!'"),
          row("ledger-projection", "--output", "", "use jdbc:postgresql://HOST:PORT/DATABASE"),
          row("ledger-projection", "--output", "file:$TMP/out", "not a PostgreSQL location"),
          // A secret is not repeated back.
          echo(
              "ledger-projection",
              "--output",
              "jdbc:postgresql://127.0.0.1:9/db?user=u&password=secret",
              "~/.pgpass",
              ""),
          echo(
              EVERY_BUT_DATABASE,
              "--output",
              "kafka://127.0.0.1:9092/out?stop=now",
              "is for an input, not an output",
              "stop="),
          echo(
              EVERY,
              "--input",
              "kafka://127.0.0.1:9092/in?stop=now&partitions=3",
              "is for an output, not an input",
              "partitions="),
          row(EVERY, "--deadLetters", "s3://bucket/dead", "a plain path or kafka://"),
          echo(
              EVERY,
              "--deadLetters",
              "kafka://127.0.0.1:9092/t?delivery=twice",
              "allowed: at-least-once, exactly-once",
              "delivery=twice"),
          row("ledger-projection", "--deadLetters", "", "give a file: prefix or a kafka://"),
          row(EVERY, "--maxRecordBytes", "0", "must be more than 0 (bytes), was 0"),
          row(EVERY, "--maxRecordBytes", "-4096", "must be more than 0 (bytes), was -4096"),
          row(EVERY, "--maxRecordBytes", "1MiB", "a whole number"),
          row(EVERY, "--maxRecordBytes", "", "a whole number"),
          row(EVERY, "--numShards", "-1", "0 (runner decides) or more"),
          row(EVERY, "--numShards", "abc", "a whole number"),
          row(EVERY, "--numShards", "", "a whole number"),
          row(EVERY, "--numShards", "1.5", "a whole number"),
          row(EVERY, "--numShards", "99999999999", "a whole number"),
          row(EVERY, "--progressEvery", "often", WINDOW),
          row(EVERY, "--progressEvery", "0s", "longer than zero"),
          row(EVERY, "--progressEvery", "-1s", WINDOW),
          // Sliding windows.
          row(EVERY, "--windowSize", "ten", WINDOW),
          row(EVERY, "--windowSize", "0m", "longer than zero"),
          row(EVERY, "--windowSize", "-5m", WINDOW),
          row(EVERY, "--windowSize", "", WINDOW),
          row(EVERY, "--windowSize", "999999999999d", "too long"),
          row(EVERY, "--windowPeriod", "1 minute", WINDOW),
          row(EVERY, "--windowPeriod", "0s", "longer than zero"),
          row(EVERY, "--windowPeriod", "2d", "at most the size"),
          row("trending-items", "--windowPeriod", "1s", "use a longer period"),
          // Triggers (early and late panes).
          row(EVERY, "--trigger", "early=soon", "early=soon is not allowed"),
          row(EVERY, "--trigger", "size=5m", "unknown key 'size'"),
          row(EVERY, "--trigger", "late=each", "needs lateness greater than zero"),
          row("word-count", "--trigger", "late=none,lateness=5m", "would drop every late record"),
          row("log-analytics", "--trigger", "early=1m,discarding", "takes no discarding panes"),
          row("risk-control", "--trigger", "early=1m,discarding", "takes no discarding panes"),
          row("iot-sensors", "--trigger", "early=1m,discarding", "takes no discarding panes"),
          row("trending-items", "--trigger", "early=1m,discarding", "takes no discarding panes"),
          // word-count
          row("word-count", "--allowedLateness", "soon", "or 0 to drop late records"),
          row("word-count", "--allowedLateness", "-1m", "or 0 to drop late records"),
          // log-analytics
          row("log-analytics", "--errorRateThreshold", "0", "(0, 1]"),
          row("log-analytics", "--errorRateThreshold", "1.5", "(0, 1]"),
          row("log-analytics", "--errorRateThreshold", "-0.1", "(0, 1]"),
          row("log-analytics", "--errorRateThreshold", "NaN", "(0, 1]"),
          row("log-analytics", "--errorRateThreshold", "five", "a number"),
          row("log-analytics", "--errorRateThreshold", "", "a number"),
          row("log-analytics", "--minRequests", "0", "1 or more"),
          row("log-analytics", "--minRequests", "many", "a whole number"),
          // risk-control
          row("risk-control", "--maxTxnsPerCard", "0", "1 or more"),
          row("risk-control", "--maxTxnsPerCard", "x", "a whole number"),
          row("risk-control", "--amountFactor", "0", "more than 0"),
          row("risk-control", "--amountFactor", "-2", "more than 0"),
          row("risk-control", "--amountFactor", "Infinity", "finite number"),
          row("risk-control", "--amountFactor", "NaN", "finite number"),
          row("risk-control", "--amountFactor", "big", "a number"),
          row("risk-control", "--maxPlaces", "0", "1 or more"),
          row("risk-control", "--maxPlaces", "three", "a whole number"),
          row(
              "risk-control",
              "--accounts",
              "s3://bucket/accounts",
              "a plain path or kafka://host:port/topic"),
          row("risk-control", "--accounts", "file:$TMP/no-accounts-*.jsonl", "no file matches"),
          row("risk-control", "--accounts", "kafka://127.0.0.1/accounts", "is not host:port"),
          // iot-sensors
          row("iot-sensors", "--partitions", "0", "between 1 and 10000"),
          row("iot-sensors", "--partitions", "10001", "between 1 and 10000"),
          row("iot-sensors", "--partitions", "four", "a whole number"),
          row("iot-sensors", "--partitions", "", "a whole number"),
          row("iot-sensors", "--anomalyFactor", "0", "above 0"),
          row("iot-sensors", "--anomalyFactor", "Infinity", "finite number"),
          row("iot-sensors", "--anomalyFactor", "NaN", "finite number"),
          row("iot-sensors", "--minBaselineReadings", "1", "at least 2"),
          row("iot-sensors", "--minBaselineReadings", "ten", "a whole number"),
          // trending-items
          row("trending-items", "--topN", "0", "between 1 and 1000"),
          row("trending-items", "--topN", "1001", "between 1 and 1000"),
          row("trending-items", "--hotKeyFanout", "-1", "0 (off) or between 1 and 10000"),
          row("trending-items", "--hotKeyFanout", "10001", "0 (off) or between 1 and 10000"),
          // ledger-commands
          row(
              "ledger-commands",
              "--rejects",
              "s3://bucket/rejects",
              "a plain path or kafka://host:port/topic"),
          row("ledger-commands", "--rejects", "kafka://broker/rejects", "is not host:port"),
          // ledger-projection (its --output is a database)
          row("ledger-projection", "--historyLateness", "later", "or 0"),
          row("ledger-projection", "--historyLateness", "-1h", "or 0"),
          // Runner flags (with the runner they belong to): a malformed or silent master.
          row("word-count", "--flinkMaster", "127.0.0.1:8081:", "[local], [auto] or HOST:PORT"),
          row("word-count", "--flinkMaster", "localhost", "[local], [auto] or HOST:PORT"),
          row("word-count", "--flinkMaster", "127.0.0.1:70000", "[local], [auto] or HOST:PORT"),
          row("word-count", "--flinkMaster", "127.0.0.1:1", "./sluice cluster flink start"),
          row(
              "word-count",
              "--sparkMaster",
              "spark://127.0.0.1:7077:",
              "local, local[N], local[*] or spark://HOST:PORT"),
          row("word-count", "--sparkMaster", "local[0]", "local[N], local[*] or spark://"),
          row("word-count", "--sparkMaster", "yarn", "local[N], local[*] or spark://"),
          row("word-count", "--sparkMaster", "spark://127.0.0.1:1", "./sluice cluster spark start"),
          // Beam's own parsing: a wrong type, an unknown flag or runner.
          row("word-count", "--runner", "Nope", "direct|flink|spark"),
          row("word-count", "--streaming", "maybe", "true or false"),
          row("word-count", "--streaming", "", "true or false"),
          echo("word-count", "--windowSizee", "10m", "see ./sluice run word-count --help", ""));

  /** A runner's own flag is checked with that runner. */
  private static final Map<String, String> RUNNER_OF_FLAG =
      Map.of("--flinkMaster", "--runner=flink", "--sparkMaster", "--runner=spark");

  @TempDir Path dir;
  private String out;
  private String err;

  @BeforeEach
  void writeInput() throws IOException {
    Files.writeString(
        dir.resolve("in.jsonl"), "{\"ts\":\"2026-01-01T00:00:00Z\",\"text\":\"hello\"}\n");
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (Row row : TABLE) {
      for (Job<?> job : Jobs.all()) {
        boolean named = row.job().equals(job.name());
        boolean declared = OptionsHelp.flags(job).contains(row.flag());
        boolean every =
            declared
                && (row.job().equals(EVERY)
                    || (row.job().equals(EVERY_BUT_DATABASE)
                        && !job.name().equals("ledger-projection")));
        if (named || every) {
          cases.add(new Case(job.name(), row.flag(), row.value(), row.allowed(), row.echo()));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aBadValueIsRefusedBeforeLaunchNamingTheFlagAndWhatIsAllowed(Case c) throws IOException {
    String value = c.value() == null ? null : c.value().replace("$TMP", dir.toString());
    List<String> args = new ArrayList<>(List.of("run", c.job()));
    for (String flag : baseFlags(c.job())) {
      if (!flag.startsWith(c.flag() + "=")) {
        args.add(flag);
      }
    }
    if (value != null) {
      args.add(c.flag() + "=" + value);
    }
    if (RUNNER_OF_FLAG.containsKey(c.flag())) {
      args.add(RUNNER_OF_FLAG.get(c.flag()));
    }

    int code = sluice(args.toArray(String[]::new));

    assertThat(err, code, equalTo(Sluice.USAGE));
    assertThat(err, err.strip().lines().count(), equalTo(1L));
    assertThat(err, startsWith("sluice: "));
    assertThat(err, containsString(c.flag()));
    if (c.echo() != null) {
      assertThat(err, containsString(c.echo().replace("$TMP", dir.toString())));
    }
    assertThat(err, containsString(c.allowed()));
    assertThat(out, equalTo(""));
    assertThat("nothing written", written(), empty());
  }

  /**
   * A port that accepts connections but is not a Flink cluster (here: never answers) is refused
   * before launch, within the check's bound, instead of leaving the submission waiting.
   */
  @Test
  void aListenerThatIsNotFlinkIsRefusedAsTheFlinkMaster() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                List<Socket> held = new ArrayList<>();
                while (!silent.isClosed()) {
                  try {
                    held.add(silent.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      List<String> args = new ArrayList<>(List.of("run", "word-count"));
      args.addAll(baseFlags("word-count"));
      args.add("--runner=flink");
      args.add("--flinkMaster=127.0.0.1:" + silent.getLocalPort());

      int code = sluice(args.toArray(String[]::new));

      assertThat(err, code, equalTo(Sluice.USAGE));
      assertThat(err, err.strip().lines().count(), equalTo(1L));
      assertThat(err, containsString("--flinkMaster: the service is not a Flink cluster's REST"));
      assertThat("nothing written", written(), empty());
    }
  }

  @Test
  void everyFlagOfEveryJobHasABadValueCase() {
    Map<String, Set<String>> missing = new TreeMap<>();
    for (Job<?> job : Jobs.all()) {
      Set<String> covered =
          cases()
              .filter(c -> c.job().equals(job.name()))
              .map(Case::flag)
              .collect(Collectors.toSet());
      Set<String> without = new TreeSet<>(OptionsHelp.flags(job));
      without.removeAll(covered);
      if (!without.isEmpty()) {
        missing.put(job.name(), without);
      }
    }
    assertThat("flags without a bad-value row in BadFlagsTest.TABLE", missing, equalTo(Map.of()));
  }

  @Test
  void theCompletenessCheckSeesEveryJobsOwnAndSharedFlags() {
    // Independent of OptionsHelp's reflection: flags read off the sources' getters.
    assertThat(
        OptionsHelp.flags(Jobs.named("iot-sensors").orElseThrow()),
        equalTo(
            List.of(
                "--anomalyFactor",
                "--deadLetters",
                "--input",
                "--maxRecordBytes",
                "--minBaselineReadings",
                "--numShards",
                "--output",
                "--partitions",
                "--progressEvery",
                "--trigger",
                "--windowPeriod",
                "--windowSize")));
  }

  private List<String> baseFlags(String job) {
    if (job.equals("ledger-projection")) {
      // Port 9 on the loopback: if a bad value got through, the database check would fail, not
      // pass; it is never reached when the flag is refused first.
      return List.of(
          "--input=file:" + dir.resolve("in.jsonl"),
          "--output=jdbc:postgresql://127.0.0.1:9/sluice?user=sluice",
          "--deadLetters=file:" + dir.resolve("out").resolve("dead"));
    }
    return List.of(
        "--input=file:" + dir.resolve("in.jsonl"),
        "--output=file:" + dir.resolve("out").resolve("result"),
        "--progressEvery=off");
  }

  /** Every file in the test folder but the input. */
  private List<Path> written() throws IOException {
    return OutputFiles.writtenIn(dir, dir.resolve("in.jsonl"));
  }

  private int sluice(String... args) {
    JobRun.Result run = JobRun.command(args).run();
    out = run.stdout();
    err = run.stderr();
    return run.exitCode();
  }

  private static Row row(String job, String flag, String value, String allowed) {
    return new Row(job, flag, value, allowed, value);
  }

  /** A row whose message repeats only {@code echo} of the value: the part that is wrong. */
  private static Row echo(String job, String flag, String value, String allowed, String echo) {
    return new Row(job, flag, value, allowed, echo);
  }

  /**
   * A row of the table: which job(s), the flag, the bad value (null: left out), a fragment of what
   * is allowed, and what of the value the message repeats ("": nothing, e.g. a secret).
   */
  record Row(String job, String flag, String value, String allowed, String echo) {}

  record Case(String job, String flag, String value, String allowed, String echo) {
    @Override
    public String toString() {
      return job + " " + flag + (value == null ? " (left out)" : "=" + value);
    }
  }
}
