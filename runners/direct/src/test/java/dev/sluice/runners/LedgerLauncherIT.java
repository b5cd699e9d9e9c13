package dev.sluice.runners;

import static dev.sluice.testing.conformance.LauncherConformance.sluice;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.launcher.postgres.PostgresServer;
import dev.sluice.launcher.service.LocalService;
import dev.sluice.pipelines.ledger.LedgerModel;
import dev.sluice.testing.conformance.LauncherConformance.Result;
import dev.sluice.testing.conformance.LedgerCommandsConformance;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ledger as a user types it, each command in its own process: {@code ./sluice postgres start},
 * {@code run ledger-commands}, {@code run ledger-projection}, {@code ledger query} and {@code
 * ledger history} against the model, {@code postgres stop} leaving no server behind.
 */
class LedgerLauncherIT {
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void commandsToEventsToReadModelToAnswers() throws Exception {
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "launcher").toAbsolutePath()), "ledger-");
    // PostgreSQL runs as its own system user when the tests run as root: it must get through.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path pg = dir.resolve("postgres");
    try {
      Result start =
          sluice(
              "postgres", "start", "--dir=" + pg, "--port=" + LocalService.freePort(), "--for=10m");
      assertThat(start.output(), start.exitCode(), equalTo(0));
      assertThat(
          start.output(), containsString("PostgreSQL ready at jdbc:postgresql://127.0.0.1:"));
      String url = Files.readString(pg.resolve("jdbc-url"), StandardCharsets.UTF_8).trim();
      long pid = PostgresServer.runningPid(pg).orElseThrow();

      List<String> commands = LedgerCommandsConformance.commands(41, 1_500).lines();
      Path input = Files.write(dir.resolve("commands.jsonl"), commands, StandardCharsets.UTF_8);
      Result decide =
          sluice(
              "run",
              "ledger-commands",
              "--input=file:" + input,
              "--output=file:" + dir.resolve("log/events"),
              "--numShards=1");
      assertThat(decide.output(), decide.exitCode(), equalTo(0));
      Result project =
          sluice(
              "run",
              "ledger-projection",
              "--input=file:" + dir.resolve("log/events") + "-*",
              "--output=" + url,
              "--deadLetters=file:" + dir.resolve("dead/events"));
      assertThat(project.output(), project.exitCode(), equalTo(0));

      Map<String, LedgerModel.Balance> model =
          LedgerModel.balances(LedgerModel.decide(commands).events());
      Map.Entry<String, LedgerModel.Balance> some = model.entrySet().iterator().next();
      Result query = sluice("ledger", "query", some.getKey(), "--db=" + url);
      assertThat(query.output(), query.exitCode(), equalTo(0));
      assertThat(
          query.output(),
          containsString(
              some.getKey()
                  + ": balance "
                  + BigDecimal.valueOf(some.getValue().balanceCents(), 2).toPlainString()
                  + " (version "
                  + some.getValue().version()
                  + ","));
      Result history = sluice("ledger", "history", some.getKey(), "--db=" + url);
      assertThat(history.output(), history.exitCode(), equalTo(0));
      assertThat(history.output(), containsString("2026-01-01T00:00:00Z"));
      Result unknown = sluice("ledger", "query", "acc-nobody", "--db=" + url);
      assertThat(unknown.exitCode(), equalTo(1));
      assertThat(unknown.output(), containsString("no account 'acc-nobody' in the read model"));

      Result stop = sluice("postgres", "stop", "--dir=" + pg);
      assertThat(stop.output(), stop.exitCode(), equalTo(0));
      assertThat(
          "postmaster " + pid + " alive after stop",
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          equalTo(false));
      assertThat(sluice("postgres", "status", "--dir=" + pg).exitCode(), equalTo(1));
    } finally {
      PostgresServer.stop(pg, Duration.ofSeconds(30)); // nothing left if a step failed
    }
  }
}
