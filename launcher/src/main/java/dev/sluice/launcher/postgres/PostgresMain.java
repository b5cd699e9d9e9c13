package dev.sluice.launcher.postgres;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.cli.Cli.Failure;
import dev.sluice.transforms.window.DurationSpec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./sluice postgres start|stop|status}: a local PostgreSQL for the ledger's read model, the
 * test kit's {@link PostgresServer} kept between runs: data in {@code --dir} (default
 * target/postgres), {@code --port} (default 5432), stopping itself after {@code --for} (default
 * 12h). {@code start} writes {@code <dir>/jdbc-url}, which {@code ./sluice ledger} reads. Flags
 * follow {@link Cli}'s grammar: a bad flag is one line and exit 2; a server that cannot start, one
 * line and exit 1.
 */
@Command(
    name = "postgres",
    description = "A local PostgreSQL for the ledger's read model.",
    subcommands = {PostgresMain.Start.class, PostgresMain.Stop.class, PostgresMain.Status.class})
public final class PostgresMain implements Callable<Integer> {
  static final int DEFAULT_PORT = 5432;
  static final String URL_FILE = "jdbc-url";

  private final PrintStream out;
  private final PrintStream err;

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  /** The command on the process's streams. */
  public PostgresMain() {
    this(System.out, System.err);
  }

  PostgresMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return Cli.execute(new PostgresMain(out, err), "sluice postgres", args, out, err);
  }

  @Override
  public Integer call() {
    throw Cli.usage(spec, "a command is required; commands: start, stop, status");
  }

  /** {@code --dir}, shared by the three commands. */
  static final class DirOption {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        defaultValue = "target/postgres",
        description = "The server's data folder (default ${DEFAULT-VALUE}).")
    Path dir;

    Path absolute() {
      return dir.toAbsolutePath();
    }
  }

  @Command(name = "start", description = "Start a server on 127.0.0.1 in the background.")
  static final class Start implements Callable<Integer> {
    @ParentCommand PostgresMain parent;
    @Spec CommandSpec spec;
    @Mixin Cli.Help help;
    @Mixin DirOption dir;

    @Option(
        names = "--port",
        paramLabel = "N",
        defaultValue = "5432",
        description = "Its port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        defaultValue = "12h",
        description = "It stops itself after this long (default ${DEFAULT-VALUE}).")
    org.joda.time.Duration lifetime;

    @Override
    public Integer call() throws Failure, InterruptedException {
      if (port < 1 || port > 65535) {
        throw Cli.usage(spec, "--port: '" + port + "' is not a port (1 to 65535)");
      }
      try {
        return start(dir.absolute(), port, lifetime, parent.out, parent.err);
      } catch (RuntimeException e) {
        throw new Failure(e.getMessage(), e);
      }
    }
  }

  @Command(name = "stop", description = "Stop the server DIR started (fast shutdown).")
  static final class Stop implements Callable<Integer> {
    @ParentCommand PostgresMain parent;
    @Mixin Cli.Help help;
    @Mixin DirOption dir;

    @Override
    public Integer call() throws Failure, InterruptedException {
      try {
        return stop(dir.absolute(), parent.out);
      } catch (RuntimeException e) {
        throw new Failure(e.getMessage(), e);
      }
    }
  }

  @Command(name = "status", description = "Is it running, where, its tables.")
  static final class Status implements Callable<Integer> {
    @ParentCommand PostgresMain parent;
    @Mixin Cli.Help help;
    @Mixin DirOption dir;

    @Override
    public Integer call() throws Failure {
      try {
        return status(dir.absolute(), parent.out);
      } catch (RuntimeException e) {
        throw new Failure(e.getMessage(), e);
      }
    }
  }

  private static int start(
      Path dir, int port, org.joda.time.Duration lifetime, PrintStream out, PrintStream err)
      throws InterruptedException {
    Optional<Long> running = PostgresServer.runningPid(dir);
    if (running.isPresent()) {
      out.printf(
          "PostgreSQL from %s is already running (pid %d) at %s; stop it with ./sluice postgres"
              + " stop%s%n",
          dir, running.get(), url(dir).orElse("(unknown)"), dirHint(dir));
      return 0;
    }
    PostgresServer server =
        PostgresServer.start(dir, port, false, Duration.ofMillis(lifetime.getMillis()));
    try {
      Files.writeString(dir.resolve(URL_FILE), server.jdbcUrl() + "\n", StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    out.printf(
        "PostgreSQL ready at %s (data in %s, pid %d, stops itself after %s); stop it with"
            + " ./sluice postgres stop%s%n",
        server.jdbcUrl(),
        dir,
        server.pid().orElse(-1L),
        DurationSpec.format(lifetime),
        dirHint(dir));
    // The postmaster outlives this JVM: it is its own process, bounded by its lifetime.
    return 0;
  }

  /** " --dir=DIR" when DIR is not the default, for the hints printed. */
  private static String dirHint(Path dir) {
    return dir.equals(Path.of("target/postgres").toAbsolutePath()) ? "" : " --dir=" + dir;
  }

  private static int stop(Path dir, PrintStream out) throws InterruptedException {
    Optional<Long> pid = PostgresServer.runningPid(dir);
    if (PostgresServer.stop(dir, Duration.ofSeconds(30))) {
      out.printf("Stopped PostgreSQL (pid %d) from %s; its data is kept there.%n", pid.get(), dir);
    } else {
      out.println("No PostgreSQL running from " + dir + ".");
    }
    return 0;
  }

  private static int status(Path dir, PrintStream out) {
    Optional<Long> pid = PostgresServer.runningPid(dir);
    Optional<String> url = url(dir);
    if (pid.isEmpty() || url.isEmpty()) {
      out.println("No PostgreSQL running from " + dir + "; start one with ./sluice postgres start");
      return 1;
    }
    out.printf("PostgreSQL running from %s (pid %d) at %s%n", dir, pid.get(), url.get());
    try (Connection c = java.sql.DriverManager.getConnection(url.get());
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT relname, n_live_tup FROM pg_stat_user_tables ORDER BY relname")) {
      while (r.next()) {
        out.printf("  table %-24s ~%,d rows%n", r.getString(1), r.getLong(2));
      }
    } catch (SQLException e) {
      out.println("  (cannot list its tables: " + e.getMessage() + ")");
    }
    return 0;
  }

  private static Optional<String> url(Path dir) {
    try {
      return Optional.of(Files.readString(dir.resolve(URL_FILE), StandardCharsets.UTF_8).trim());
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}
