package dev.sluice.launcher.postgres;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./sluice postgres start|stop|status}: a local PostgreSQL for the ledger's read model, the
 * test kit's {@link PostgresServer} kept between runs: data in {@code --dir} (default
 * target/postgres), {@code --port} (default 5432), stopping itself after {@code --for} (default
 * 12h). {@code start} writes {@code <dir>/jdbc-url}, which {@code ./sluice ledger} reads. A bad
 * flag is one line and exit 2; a server that cannot start, one line and exit 1.
 */
public final class PostgresMain {
  static final int DEFAULT_PORT = 5432;
  static final String URL_FILE = "jdbc-url";

  private PostgresMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("postgres: needs a command: start, stop, status");
      return 2;
    }
    Map<String, String> flags = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      Matcher m = Pattern.compile("--(dir|port|for)=(.+)").matcher(args[i]);
      if (!m.matches()) {
        err.printf(
            "postgres %s: unknown argument '%s'; allowed: --dir=DIR, --port=N, --for=12h%n",
            args[0], args[i]);
        return 2;
      }
      flags.put(m.group(1), m.group(2));
    }
    Path dir = Path.of(flags.getOrDefault("dir", "target/postgres")).toAbsolutePath();
    try {
      switch (args[0]) {
        case "start":
          return start(dir, port(flags), lifetime(flags), out, err);
        case "stop":
          return stop(dir, out);
        case "status":
          return status(dir, out);
        default:
          err.println("postgres: unknown command '" + args[0] + "'; commands: start, stop, status");
          return 2;
      }
    } catch (IllegalArgumentException e) {
      err.println("postgres " + args[0] + ": " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("postgres " + args[0] + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static int port(Map<String, String> flags) {
    String text = flags.getOrDefault("port", Integer.toString(DEFAULT_PORT));
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("--port: '" + text + "' is not a port (1 to 65535)");
  }

  private static org.joda.time.Duration lifetime(Map<String, String> flags) {
    return DurationSpec.parse("--for", flags.getOrDefault("for", "12h"));
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
