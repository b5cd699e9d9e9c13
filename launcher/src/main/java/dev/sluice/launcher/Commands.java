package dev.sluice.launcher;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.generate.GenerateMain;
import dev.sluice.launcher.kafka.KafkaTool;
import dev.sluice.launcher.ledger.LedgerTool;
import dev.sluice.launcher.postgres.PostgresMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The launcher's picocli commands under one root, {@code sluice}: what {@code ./sluice kafka},
 * {@code generate}, {@code postgres} and {@code ledger} run (each also has its own main, which the
 * script calls). Its main runs any of them: {@code Commands kafka status --bootstrap=HOST:PORT}.
 * Commands of the runner modules (cluster, bench, demo) need an engine's classpath and are not
 * here.
 */
@Command(
    name = "sluice",
    description = "Sluice's tool commands.",
    subcommands = {KafkaTool.class, GenerateMain.class, PostgresMain.class, LedgerTool.class})
public final class Commands implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  public static void main(String[] args) {
    System.exit(Cli.execute(new Commands(), "sluice", args, System.out, System.err));
  }

  @Override
  public Integer call() {
    throw Cli.usage(spec, "a command is required; commands: kafka, generate, postgres, ledger");
  }
}
