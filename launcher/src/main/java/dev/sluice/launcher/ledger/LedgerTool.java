package dev.sluice.launcher.ledger;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.cli.Cli.Failure;
import dev.sluice.pipelines.ledger.LedgerQuery;
import dev.sluice.pipelines.ledger.ReadModel;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./sluice ledger query|history ACCOUNT --db=URL}: the command line of the ledger's query
 * side ({@link LedgerQuery} answers, from the read model only). Flags follow {@link Cli}'s grammar.
 * Exit 0 with the answer, 1 for an account the read model does not have (or an unreachable
 * database), 2 for a bad command line.
 */
@Command(
    name = "ledger",
    description = "Ask the ledger's read model (PostgreSQL) about an account.",
    subcommands = {LedgerTool.Query.class, LedgerTool.History.class})
public final class LedgerTool implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  /** The command on the process's streams. */
  public LedgerTool() {
    this(System.out, System.err);
  }

  LedgerTool(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return Cli.execute(new LedgerTool(out, err), "sluice ledger", args, out, err);
  }

  @Override
  public Integer call() {
    throw Cli.usage(spec, "a command is required; commands: query, history");
  }

  /** What both commands take: the account and the database. */
  abstract static class AccountCommand implements Callable<Integer> {
    @ParentCommand LedgerTool parent;
    @Spec CommandSpec spec;
    @Mixin Cli.Help help;

    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account.")
    String account;

    @Option(
        names = "--db",
        paramLabel = "URL",
        description = {
          "The read model: jdbc:postgresql://HOST:PORT/DB?user=NAME",
          "(./sluice passes the server of ./sluice postgres start)."
        })
    String db;

    abstract int answer(Connection c, String account, PrintStream out, PrintStream err)
        throws SQLException;

    @Override
    public Integer call() throws Failure {
      if (db == null || db.isEmpty()) {
        throw Cli.usage(
            spec,
            "--db is required: --db=jdbc:postgresql://HOST:PORT/DB?user=NAME, or start a server"
                + " with ./sluice postgres start");
      }
      try {
        ReadModel.checkUrl("--db", db);
      } catch (IllegalArgumentException e) {
        throw Cli.usage(spec, e.getMessage());
      }
      try (Connection c = DriverManager.getConnection(db)) {
        return answer(c, account, parent.out, parent.err);
      } catch (SQLException e) {
        throw new Failure(
            "cannot read the read model at "
                + db
                + ": "
                + e.getMessage()
                + " (has ./sluice run ledger-projection written it?)",
            e);
      }
    }
  }

  @Command(name = "query", description = "An account's balance and version.")
  static final class Query extends AccountCommand {
    @Override
    int answer(Connection c, String account, PrintStream out, PrintStream err) throws SQLException {
      return LedgerQuery.balance(c, account, out, err);
    }
  }

  @Command(
      name = "history",
      description = "An account's hours: money in and out, events, closing balance.")
  static final class History extends AccountCommand {
    @Override
    int answer(Connection c, String account, PrintStream out, PrintStream err) throws SQLException {
      return LedgerQuery.history(c, account, out, err);
    }
  }
}
