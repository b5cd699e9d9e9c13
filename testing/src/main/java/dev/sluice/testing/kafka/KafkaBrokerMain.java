package dev.sluice.testing.kafka;

import dev.sluice.launcher.cli.Cli;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@link KafkaBroker} in its own JVM, behind {@code ./sluice kafka start}: {@code --dir=PATH}
 * (its data, kept between runs), {@code --port=N} (default 9092; 0: a free one) and {@code
 * --for=DURATION} (default 12h; then it stops itself, so a forgotten broker does not run for ever).
 *
 * <p>Once the broker answers, {@code <dir>/bootstrap} holds {@code 127.0.0.1:<port>}: the launcher
 * waits for that file, and the tools read it. The file is written atomically and removed when the
 * broker stops (on SIGTERM, Ctrl-C or at the end of its lifetime). Flags follow {@link Cli}'s
 * grammar ({@code --help} prints them); a bad flag ends in one line on stderr and exit 2; a broker
 * that cannot start (port taken, folder in use) in one line and exit 1.
 */
@Command(
    name = "broker",
    description = "A local Kafka broker in this JVM (behind ./sluice kafka start).")
public final class KafkaBrokerMain implements Callable<Integer> {
  static final String NAME = "sluice kafka broker";
  static final int DEFAULT_PORT = 9092;
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);
  static final Duration MAX_LIFETIME = Duration.ofDays(365);
  static final String BOOTSTRAP_FILE = "bootstrap";
  static final String PID_FILE = "broker.pid";

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "PATH",
      description = "The broker's data folder, kept between runs.")
  String dir;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "The port on 127.0.0.1 (default 9092; 0: a free one).")
  Integer port;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      description = "Stop after this long (default 12h, at most 365d).")
  String lifetime;

  /** What the flags ask for. */
  static final class Settings {
    final Path dir;
    final int port;
    final Duration lifetime;
    final String lifetimeText;

    Settings(Path dir, int port, Duration lifetime, String lifetimeText) {
      this.dir = dir;
      this.port = port;
      this.lifetime = lifetime;
      this.lifetimeText = lifetimeText;
    }
  }

  /**
   * The settings {@code args} ask for.
   *
   * @throws ParameterException for a bad flag; {@link Cli#message} says what is wrong
   */
  static Settings parse(String[] args) {
    KafkaBrokerMain command = new KafkaBrokerMain();
    Cli.commandLine(command, NAME, System.out, System.err).parseArgs(args);
    return command.settings();
  }

  private Settings settings() {
    if (dir.isEmpty()) {
      throw Cli.usage(spec, "--dir needs a value: --dir=PATH");
    }
    int p = port == null ? DEFAULT_PORT : port;
    if (p < 0 || p > 65535) {
      throw Cli.usage(
          spec,
          "--port: '"
              + port
              + "' is not allowed; allowed: 0 (a free port) or a port from 1 to 65535");
    }
    String text = lifetime == null ? "12h" : lifetime;
    Duration d;
    try {
      d = Cli.javaDuration(text);
    } catch (TypeConversionException e) {
      throw Cli.usage(spec, "--for: " + e.getMessage());
    }
    if (d.compareTo(MAX_LIFETIME) > 0) {
      throw Cli.usage(spec, "--for: '" + text + "' is too long; allowed: up to 365d");
    }
    return new Settings(Path.of(dir).toAbsolutePath().normalize(), p, d, text);
  }

  public static void main(String[] args) {
    System.exit(Cli.execute(new KafkaBrokerMain(), NAME, args, System.out, System.err));
  }

  /** Runs the broker until its lifetime ends or the process is stopped. */
  @Override
  public Integer call() {
    Settings settings = settings();
    Running running;
    try {
      running = start(settings, System.out);
    } catch (StartException e) {
      System.err.println(NAME + ": " + e.getMessage());
      if ("1".equals(System.getenv("SLUICE_DEBUG")) && e.getCause() != null) {
        e.getCause().printStackTrace();
      }
      // halt, not exit: a broker that failed half-way may hold non-daemon threads
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(Cli.FAILED);
      return Cli.FAILED;
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(running::close, "sluice-kafka-broker-shutdown"));
    try {
      Thread.sleep(settings.lifetime.toMillis());
      System.out.printf(
          "%s lifetime of %s reached (--for=%s): stopping the broker%n",
          now(), settings.lifetimeText, settings.lifetimeText);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Cli.OK; // main's System.exit runs the shutdown hook
  }

  /** A started broker that removes its {@code bootstrap} file when closed. */
  static final class Running implements AutoCloseable {
    private final KafkaBroker broker;
    private final Path dir;
    private final PrintStream out;
    private boolean closed;

    Running(KafkaBroker broker, Path dir, PrintStream out) {
      this.broker = broker;
      this.dir = dir;
      this.out = out;
    }

    KafkaBroker broker() {
      return broker;
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      deleteQuietly(dir.resolve(BOOTSTRAP_FILE));
      out.printf("%s stopping the Kafka broker on %s%n", now(), broker.bootstrapServers());
      broker.close();
      deleteOwnPidFile(dir);
      out.printf("%s stopped%n", now());
      out.flush();
    }
  }

  /** A broker that could not start, with a message the user can act on. */
  static final class StartException extends Exception {
    private static final long serialVersionUID = 1L;

    StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Starts the broker, writes {@code <dir>/bootstrap} once it answers and prints one line saying
   * where it is.
   */
  static Running start(Settings settings, PrintStream out) throws StartException {
    Path dir = settings.dir;
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(BOOTSTRAP_FILE)); // left by a broker that was killed
    } catch (IOException e) {
      throw new StartException("cannot use " + dir + " as the data folder: " + e, e);
    }
    if (settings.port != 0) {
      checkPortFree(settings.port);
    }
    KafkaBroker broker;
    try {
      broker = KafkaBroker.start(dir, settings.port);
    } catch (RuntimeException e) {
      throw explain(e, settings);
    }
    try {
      writeAtomically(dir.resolve(BOOTSTRAP_FILE), broker.bootstrapServers() + "\n");
    } catch (IOException e) {
      broker.close();
      throw new StartException("cannot write " + dir.resolve(BOOTSTRAP_FILE) + ": " + e, e);
    }
    out.printf(
        "%s Kafka broker ready at %s (data in %s); it stops itself after %s, at %s%n",
        now(),
        broker.bootstrapServers(),
        dir,
        settings.lifetimeText,
        Instant.now().plus(settings.lifetime).truncatedTo(ChronoUnit.SECONDS));
    out.flush();
    return new Running(broker, dir, out);
  }

  /** Fails with a clear message if something already listens on 127.0.0.1:{@code port}. */
  static void checkPortFree(int port) throws StartException {
    try {
      new ServerSocket(port, 1, InetAddress.getLoopbackAddress())
          .close(); // the broker binds it next
    } catch (IOException e) {
      throw portInUse(port, e);
    }
  }

  private static StartException portInUse(int port, Throwable cause) {
    return new StartException(
        "port "
            + port
            + " on 127.0.0.1 is already in use (another Kafka broker?); choose another with"
            + " --port=N, or --port=0 for a free one",
        cause);
  }

  private static StartException explain(RuntimeException e, Settings settings) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return portInUse(settings.port, e);
      }
      if (String.valueOf(t.getMessage()).contains("Failed to acquire lock")) {
        return new StartException(
            "another Kafka broker is using "
                + settings.dir
                + "; stop it (./sluice kafka stop"
                + " --dir="
                + settings.dir
                + ") or choose another --dir",
            e);
      }
    }
    return new StartException("the Kafka broker did not start: " + e.getMessage(), e);
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Removes {@code <dir>/broker.pid} if it names this process (the launcher wrote it). */
  private static void deleteOwnPidFile(Path dir) {
    Path pidFile = dir.resolve(PID_FILE);
    try {
      if (Files.isRegularFile(pidFile)
          && Files.readString(pidFile)
              .strip()
              .equals(Long.toString(ProcessHandle.current().pid()))) {
        Files.deleteIfExists(pidFile);
      }
    } catch (IOException | UncheckedIOException e) {
      // the launcher treats a pid file of a finished process as stale
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // the launcher checks the process too, not only this file
    }
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
