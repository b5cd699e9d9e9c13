package dev.sluice.launcher.kafka;

import dev.sluice.launcher.service.LocalService;
import dev.sluice.launcher.service.LocalService.NotReadyException;
import dev.sluice.launcher.service.LocalService.Stop;
import dev.sluice.launcher.service.LocalService.Watched;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local Kafka broker as a {@link LocalService}: what {@code ./sluice kafka start|stop|status} do.
 * The broker is the test kit's {@code KafkaBrokerMain} in a JVM of its own (named by class, since
 * the launcher may not import the test kit), on this JVM's classpath; its folder holds the data,
 * {@code broker.pid}, {@code broker.log} and, once it answers, {@code bootstrap} ({@code
 * 127.0.0.1:PORT}, written by the broker, removed by it when it stops).
 *
 * <p>Each command prints what it did to {@code out} (problems to {@code err}) and returns the
 * process exit code: 0 done, 1 failed or not running, 2 a flag the broker refused.
 */
public final class KafkaService {
  /** The broker's main class, in the test kit. */
  static final String BROKER_MAIN = "dev.sluice.testing.kafka.KafkaBrokerMain";

  /** How long {@link #start} waits for {@code bootstrap}. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** How long {@link #stop} waits after SIGTERM before SIGKILL. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /** Log4j keeps logging until the broker has shut down (its own hook would stop first). */
  static final List<String> JVM_FLAGS = List.of("-Xmx1g", "-Dlog4j2.shutdownHookEnabled=false");

  private final Path defaultDir;
  private final String classpath;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param defaultDir the folder used when the user gave no {@code --dir} (hints then omit it)
   * @param classpath where the broker's JVM finds {@code KafkaBrokerMain} and Kafka
   */
  public KafkaService(Path defaultDir, String classpath, PrintStream out, PrintStream err) {
    this.defaultDir = defaultDir.toAbsolutePath().normalize();
    this.classpath = classpath;
    this.out = out;
    this.err = err;
  }

  /** A service whose broker runs on this JVM's classpath. */
  public KafkaService(Path defaultDir, PrintStream out, PrintStream err) {
    this(defaultDir, System.getProperty("java.class.path"), out, err);
  }

  /**
   * Starts a broker on {@code dir} (created if missing) and {@code port} (0: a free one) that stops
   * itself after {@code lifetime} (e.g. {@code 12h}: the broker checks it), and waits at most
   * {@link #READY_TIMEOUT} for its {@code bootstrap} file. A broker of {@code dir} already running
   * is left alone (exit 0).
   */
  public int start(Path dir, int port, String lifetime) throws InterruptedException {
    Path home = dir.toAbsolutePath().normalize();
    Optional<ProcessHandle> running = running(home);
    if (running.isPresent()) {
      out.println(
          "A Kafka broker from "
              + home
              + " is already running (pid "
              + running.get().pid()
              + ") at "
              + readBootstrap(home).orElse("(not ready yet)")
              + "; stop it with ./sluice kafka stop"
              + dirHint(home));
      return 0;
    }
    Path pidFile = home.resolve("broker.pid");
    Path bootstrap = home.resolve("bootstrap");
    Path log = home.resolve("broker.log");
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      err.println("sluice: kafka start: cannot create " + home);
      return KafkaTool.USAGE;
    }
    Process broker;
    try {
      // Left by a broker that was killed.
      Files.deleteIfExists(pidFile);
      Files.deleteIfExists(bootstrap);
      broker =
          LocalService.launch(
              LocalService.detached(command(home, port, lifetime)), Map.of(), null, log, pidFile);
    } catch (IOException e) {
      err.println("sluice: kafka start: cannot start a broker in " + home + ": " + e.getMessage());
      return 1;
    }
    try {
      LocalService.awaitReady(
          List.of(new Watched("the Kafka broker", broker, log)),
          () ->
              Files.exists(bootstrap) ? Optional.empty() : Optional.of("no " + bootstrap + " yet"),
          READY_TIMEOUT,
          "the Kafka broker");
    } catch (NotReadyException e) {
      return notReady(e, broker, home);
    }
    out.println(
        "Kafka broker ready at "
            + readBootstrap(home).orElse("?")
            + " (data in "
            + home
            + ", pid "
            + broker.pid()
            + ", stops itself after "
            + lifetime
            + "); stop it with ./sluice kafka stop"
            + dirHint(home));
    return 0;
  }

  /** Says why the broker did not come up, cleans up after it, and returns the exit code. */
  private int notReady(NotReadyException e, Process broker, Path home) throws InterruptedException {
    Path log = home.resolve("broker.log");
    if (e.died().isPresent()) {
      delete(home.resolve("broker.pid"));
      if (e.exitValue() == KafkaTool.USAGE) { // a bad flag: the broker said which, in one line
        lines(log).forEach(err::println);
        return KafkaTool.USAGE;
      }
      err.println(
          "sluice: the Kafka broker exited (status "
              + e.exitValue()
              + ") before it was ready; the end of "
              + log
              + ":");
      LocalService.tailLines(log, 20).forEach(err::println);
      return 1;
    }
    err.println(
        "sluice: the Kafka broker (pid "
            + broker.pid()
            + ") was not ready within "
            + READY_TIMEOUT.toSeconds()
            + " s; stopping it. The end of "
            + log
            + ":");
    LocalService.tailLines(log, 20).forEach(err::println);
    LocalService.stop(home.resolve("broker.pid"), identity(home), STOP_TIMEOUT);
    delete(home.resolve("bootstrap"));
    return 1;
  }

  /**
   * Stops the broker of {@code dir}: SIGTERM, SIGKILL after {@link #STOP_TIMEOUT}; its data is
   * kept. A pid file naming no broker of {@code dir} is removed (the process is left alone).
   */
  public int stop(Path dir) throws InterruptedException {
    Path home = dir.toAbsolutePath().normalize();
    Path pidFile = home.resolve("broker.pid");
    String pidText = readText(pidFile).orElse(null);
    if (pidText == null) {
      out.println("No Kafka broker running from " + home + " (no " + pidFile + ").");
      return 0;
    }
    Stop stop = LocalService.stop(pidFile, identity(home), STOP_TIMEOUT);
    switch (stop.outcome()) {
      case NOT_RUNNING:
        out.println("No Kafka broker running from " + home + " (no " + pidFile + ").");
        return 0;
      case STALE_PID_FILE:
        delete(home.resolve("bootstrap"));
        out.println(
            "No Kafka broker running from "
                + home
                + ": pid "
                + pidText
                + " is not a running Kafka broker; removed the stale "
                + pidFile
                + ".");
        return 0;
      case KILLED:
        delete(home.resolve("bootstrap"));
        out.println(
            "The Kafka broker (pid "
                + stop.pid()
                + ") did not stop within "
                + STOP_TIMEOUT.toSeconds()
                + " s of SIGTERM; killed it (SIGKILL). Its data in "
                + home
                + " is kept.");
        return 0;
      case STOPPED:
        out.println(
            "Stopped the Kafka broker (pid "
                + stop.pid()
                + ") from "
                + home
                + " in "
                + stop.seconds()
                + " s; its data is kept there.");
        return 0;
      default:
        err.println(
            "sluice: the Kafka broker (pid " + stop.pid() + ") is still running after SIGKILL");
        return 1;
    }
  }

  /**
   * Whether a broker of {@code dir} runs and is ready (exit 1 if not); if so, its pid and then what
   * {@code KafkaTool status} says about it (topics, partitions, end offsets).
   */
  public int status(Path dir) {
    Path home = dir.toAbsolutePath().normalize();
    Optional<ProcessHandle> running = running(home);
    if (running.isEmpty()) {
      out.println(
          "No Kafka broker running from "
              + home
              + "; start one with ./sluice kafka start"
              + dirHint(home));
      return 1;
    }
    Optional<String> bootstrap = readBootstrap(home);
    if (bootstrap.isEmpty()) {
      out.println(
          "A Kafka broker from "
              + home
              + " is starting (pid "
              + running.get().pid()
              + ") but not ready yet; its log: "
              + home.resolve("broker.log"));
      return 1;
    }
    out.println("Kafka broker running from " + home + " (pid " + running.get().pid() + ")");
    return KafkaTool.run(
        new String[] {"status", "--bootstrap=" + bootstrap.get()},
        InputStream.nullInputStream(),
        out,
        err);
  }

  /** The broker of {@code dir} if its pid file names a live {@code KafkaBrokerMain} of it. */
  public Optional<ProcessHandle> running(Path dir) {
    Path home = dir.toAbsolutePath().normalize();
    return LocalService.running(home.resolve("broker.pid"), identity(home));
  }

  /** {@code HOST:PORT} of the broker of {@code dir} when it runs and is ready. */
  public Optional<String> bootstrap(Path dir) {
    Path home = dir.toAbsolutePath().normalize();
    return running(home).isPresent() ? readBootstrap(home) : Optional.empty();
  }

  /** {@code java <flags> -cp <classpath> KafkaBrokerMain --dir= --port= --for=}. */
  private List<String> command(Path home, int port, String lifetime) {
    List<String> command = new ArrayList<>();
    command.add(LocalService.javaBinary());
    command.addAll(JVM_FLAGS);
    String javaOpts = System.getenv("JAVA_OPTS");
    if (javaOpts != null && !javaOpts.isBlank()) {
      command.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
    }
    command.addAll(
        List.of(
            "-cp", classpath, BROKER_MAIN, "--dir=" + home, "--port=" + port, "--for=" + lifetime));
    return command;
  }

  /** A broker of this folder: its main class and its {@code --dir} (a recycled pid is not). */
  private static List<String> identity(Path home) {
    return List.of(BROKER_MAIN, "--dir=" + home + " ");
  }

  /** " --dir=DIR" when DIR is not the default, for the hints we print. */
  private String dirHint(Path home) {
    return home.equals(defaultDir) ? "" : " --dir=" + home;
  }

  private static Optional<String> readBootstrap(Path home) {
    return readText(home.resolve("bootstrap"));
  }

  private static Optional<String> readText(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static List<String> lines(Path log) {
    try {
      return Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return List.of("(no log at " + log + ")");
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
