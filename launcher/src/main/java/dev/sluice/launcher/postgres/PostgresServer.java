package dev.sluice.launcher.postgres;

import dev.sluice.launcher.service.LocalService;
import dev.sluice.launcher.service.LocalService.NotReadyException;
import dev.sluice.launcher.service.LocalService.Signal;
import dev.sluice.launcher.service.LocalService.Watched;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (the machine's own binaries: Debian's {@code postgresql} package), in a
 * throw-away cluster of its own: {@code initdb} into a fresh folder, the postmaster on 127.0.0.1
 * and a free port, a database {@value #DATABASE} owned by user {@value #USER} (trust
 * authentication: loopback only, for tests and local use), and on {@link #close()} a fast shutdown
 * of exactly that postmaster (by the pid in its {@code postmaster.pid}) and the folder deleted.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM is root (as on CI machines), every server
 * command runs as the {@code postgres} system user through {@code runuser}, in a folder that user
 * owns. Durability settings are off ({@code fsync}, {@code synchronous_commit}, {@code
 * full_page_writes}): the data is a test's, and speed matters more than surviving a power cut.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "sluice";
  public static final String DATABASE = "sluice";

  /** How long {@link #start} waits for the server to accept connections. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private static final String SYSTEM_USER = "postgres";

  private final Path dir;
  private final int port;
  private final Process postmaster;
  private final boolean deleteOnClose;

  private PostgresServer(Path dir, int port, Process postmaster, boolean deleteOnClose) {
    this.dir = dir;
    this.port = port;
    this.postmaster = postmaster;
    this.deleteOnClose = deleteOnClose;
  }

  /** How long a test's server may live: it stops itself then, even if its JVM died. */
  public static final Duration TEST_LIFETIME = Duration.ofHours(2);

  /** A new server in a temporary folder, on a free port; deleted on close. */
  public static PostgresServer start() {
    try {
      Path dir = Files.createTempDirectory("sluice-postgres-");
      return start(dir, LocalService.freePort(), true, TEST_LIFETIME);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new server with its cluster in {@code dir/data} (created by {@code initdb} if missing) on
   * {@code port}; {@code dir} is deleted on close if {@code deleteOnClose}. The postmaster runs
   * under {@code timeout}: after {@code lifetime} it gets a fast shutdown, whoever started it.
   */
  public static PostgresServer start(Path dir, int port, boolean deleteOnClose, Duration lifetime) {
    Path bin = binaries();
    Path data = dir.resolve("data");
    try {
      Files.createDirectories(dir);
      ownByServerUser(dir);
      boolean fresh = !Files.exists(data.resolve("PG_VERSION"));
      if (fresh) {
        run(
            List.of(
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-instructions"));
      }
      // setsid: its own session, so it outlives the terminal and the JVM that started it.
      List<String> command = new ArrayList<>(List.of("setsid"));
      command.addAll(
          asServerUser(
              List.of(
                  "timeout",
                  "-s",
                  "INT",
                  lifetime.toSeconds() + "s",
                  bin.resolve("postgres").toString(),
                  "-D",
                  data.toString(),
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(port),
                  "-k",
                  dir.toString(),
                  "-c",
                  "fsync=off",
                  "-c",
                  "synchronous_commit=off",
                  "-c",
                  "full_page_writes=off",
                  "-c",
                  "max_connections=50")));
      // Its pid file is PostgreSQL's own data/postmaster.pid (the launched process is setsid's).
      Process postmaster =
          LocalService.launch(command, Map.of(), null, dir.resolve("postgres.log"), null);
      PostgresServer server = new PostgresServer(dir, port, postmaster, deleteOnClose);
      try {
        server.awaitReady();
        if (fresh) {
          server.execute("postgres", "CREATE DATABASE " + DATABASE + " OWNER " + USER);
        }
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/sluice?user=sluice}. */
  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  /** A connection to the {@value #DATABASE} database; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  /** Runs one SQL statement (DDL, or DML whose count is not needed) in {@code database}. */
  private void execute(String database, String sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl(database));
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at 127.0.0.1:" + port + ": " + sql + ": " + e.getMessage(), e);
    }
  }

  /** The postmaster's pid, from {@code data/postmaster.pid}, if it is running. */
  public Optional<Long> pid() {
    return LocalService.readPid(dir.resolve("data").resolve("postmaster.pid"));
  }

  /** Waits, at most {@link #READY_TIMEOUT}, until the server accepts connections. */
  private void awaitReady() {
    try {
      LocalService.awaitReady(
          List.of(new Watched("PostgreSQL", postmaster, dir.resolve("postgres.log"))),
          () -> {
            try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"))) {
              return Optional.empty();
            } catch (SQLException e) {
              return Optional.of(e.getMessage());
            }
          },
          READY_TIMEOUT,
          "PostgreSQL on 127.0.0.1:" + port);
    } catch (NotReadyException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
    }
  }

  /** Fast shutdown of exactly this server's postmaster (SIGINT), then the folder deleted. */
  @Override
  public void close() {
    try {
      boolean stopped = stop(dir, Duration.ofSeconds(30));
      if (!stopped) {
        postmaster.destroy();
      }
      if (!postmaster.waitFor(30, TimeUnit.SECONDS)) {
        postmaster.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (deleteOnClose) {
        deleteRecursively(dir);
      }
    }
  }

  /**
   * Stops the postmaster of the cluster in {@code dir/data}, whoever started it: SIGINT (fast
   * shutdown) to the pid in its {@code postmaster.pid} if that process is a postgres of this
   * folder, then waits; SIGKILL after {@code timeout}. Returns whether there was one to stop.
   */
  public static boolean stop(Path dir, Duration timeout) throws InterruptedException {
    Optional<ProcessHandle> postmaster = postmaster(dir);
    if (postmaster.isEmpty()) {
      return false;
    }
    // SIGINT: PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave). Its
    // postmaster.pid stays PostgreSQL's own business: it removes the file when it exits.
    LocalService.stop(postmaster.get(), Signal.INT, timeout);
    return true;
  }

  /** The pid of the running postmaster of {@code dir/data}, checked against its command line. */
  public static Optional<Long> runningPid(Path dir) {
    return postmaster(dir).map(ProcessHandle::pid);
  }

  private static Optional<ProcessHandle> postmaster(Path dir) {
    Path data = dir.resolve("data");
    return LocalService.running(
        data.resolve("postmaster.pid"), List.of("postgres", data.toString()));
  }

  /**
   * The folder with {@code initdb} and {@code postgres}: {@code $SLUICE_PG_BIN}, else the newest
   * {@code /usr/lib/postgresql/<version>/bin}.
   */
  static Path binaries() {
    String fromEnv = System.getenv("SLUICE_PG_BIN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin").resolve("postgres")))
                .max(Comparator.comparingInt(v -> versionOf(v.getFileName().toString())));
        if (newest.isPresent()) {
          return newest.get().resolve("bin");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException(
        "no PostgreSQL server binaries (initdb, postgres) in /usr/lib/postgresql/*/bin: install"
            + " them with apt-get install postgresql, or set SLUICE_PG_BIN to their folder");
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** {@code command} as the {@code postgres} user when this JVM is root (PostgreSQL refuses it). */
  private static List<String> asServerUser(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", SYSTEM_USER, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static void ownByServerUser(Path dir) throws IOException {
    if (!isRoot()) {
      return;
    }
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    Files.setOwner(dir, users.lookupPrincipalByName(SYSTEM_USER));
    // The folder is the server user's now, but every folder above it must let that user through.
    try {
      Process p = new ProcessBuilder(asServerUser(List.of("test", "-x", dir.toString()))).start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(
            "PostgreSQL runs as user '"
                + SYSTEM_USER
                + "', which cannot reach "
                + dir
                + ": every folder above it must be open to others (chmod o+x), or choose a folder"
                + " elsewhere");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking " + dir, e);
    }
  }

  /** Runs a short server command to its end (as the server user if needed), or fails with it. */
  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(asServerUser(command)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + output.trim());
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
