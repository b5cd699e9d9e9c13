package dev.sluice.launcher.service;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way a local service (the Kafka broker, PostgreSQL, the Flink and Spark clusters) runs:
 * launched in the background with its output in a log and its pid in a file; found again by that
 * pid only if the process is alive and its command line carries the service's identity markers (a
 * recycled pid is some other program, which must never be signalled); waited for with a deadline
 * while polling observable state; stopped by pid with SIGTERM (or SIGINT), then SIGKILL after a
 * timeout. JDK only, so that every module can use it.
 */
public final class LocalService {
  /** How often waits look at the state they wait for. */
  static final Duration POLL = Duration.ofMillis(100);

  /** How long a SIGKILL may take to end a process before we give up on it. */
  static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  private LocalService() {}

  // ------------------------------------------------------------------------------- launching

  /**
   * Starts {@code command} in the background: stdin from {@code /dev/null}, stdout and stderr into
   * {@code log} (truncated), {@code env} added to this JVM's environment, in {@code workDir} (this
   * JVM's when null); writes its pid to {@code pidFile} when that is not null. The process outlives
   * this JVM; prefix the command with {@link #detached} to outlive the terminal too.
   */
  public static Process launch(
      List<String> command, Map<String, String> env, Path workDir, Path log, Path pidFile)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    Process process =
        builder
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (pidFile != null) {
      try {
        Files.writeString(pidFile, process.pid() + "\n");
      } catch (IOException e) {
        process.destroyForcibly(); // a service nobody could find again
        throw e;
      }
    }
    return process;
  }

  /**
   * {@code command} in a session of its own ({@code setsid}, where the machine has it): no SIGHUP
   * when the terminal closes, no SIGINT from a Ctrl-C meant for the launcher.
   */
  public static List<String> detached(List<String> command) {
    Path setsid = Path.of("/usr/bin/setsid");
    if (!Files.isExecutable(setsid)) {
      return command;
    }
    List<String> full = new ArrayList<>();
    full.add(setsid.toString());
    full.addAll(command);
    return full;
  }

  /** {@code java} of the JVM running this code, for launching services on the same Java. */
  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  // -------------------------------------------------------------------------------- identity

  /** The pid on the first line of {@code pidFile}, if there is one. */
  public static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // no file, or not a pid: nothing of ours runs
    }
  }

  /**
   * The process named by {@code pidFile}, only if it is alive and its command line contains every
   * one of {@code identity} (e.g. a main class and the service's folder).
   */
  public static Optional<ProcessHandle> running(Path pidFile, List<String> identity) {
    return readPid(pidFile).flatMap(pid -> running(pid, identity));
  }

  /**
   * Process {@code pid}, only if it is alive and its command line contains all of {@code identity}.
   */
  public static Optional<ProcessHandle> running(long pid, List<String> identity) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> command = commandLine(handle.get());
    return command.isPresent() && identity.stream().allMatch(command.get()::contains)
        ? handle
        : Optional.empty();
  }

  /**
   * The command line of {@code process}, arguments separated (and ended) by a space: from {@code
   * /proc/PID/cmdline}, which any user may read and which is never cut short; {@link
   * ProcessHandle.Info} elsewhere.
   */
  public static Optional<String> commandLine(ProcessHandle process) {
    Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    if (Files.isDirectory(Path.of("/proc/self"))) {
      try {
        String command =
            new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
        return command.isEmpty() ? Optional.empty() : Optional.of(command);
      } catch (IOException e) {
        return Optional.empty(); // it exited just now
      }
    }
    return process.info().commandLine().map(c -> c + " ");
  }

  // ------------------------------------------------------------------------------- readiness

  /** What {@link #awaitReady} asks until it says yes; an exception counts as "not yet". */
  @FunctionalInterface
  public interface Readiness {
    /** Whether the service is ready; a problem in words when it is not. */
    Optional<String> notReadyBecause() throws Exception;
  }

  /** A process {@link #awaitReady} watches: its name in messages and its log. */
  public record Watched(String name, Process process, Path log) {}

  /** A service that was not ready: one of its processes died first, or the deadline passed. */
  public static final class NotReadyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Watched died;
    private final int exitValue;
    private final String lastProblem;

    NotReadyException(String message, Watched died, int exitValue, String lastProblem) {
      super(message);
      this.died = died;
      this.exitValue = exitValue;
      this.lastProblem = lastProblem;
    }

    /** The process that exited before the service was ready; empty when the deadline passed. */
    public Optional<Watched> died() {
      return Optional.ofNullable(died);
    }

    /** Its exit status (when {@link #died} is present). */
    public int exitValue() {
      return exitValue;
    }

    /** Why the last readiness check said no. */
    public String lastProblem() {
      return lastProblem;
    }
  }

  /**
   * Asks {@code readiness} every {@link #POLL} until it says ready, for at most {@code timeout}.
   * Fails with a {@link NotReadyException} whose message is one line naming {@code what} it waited
   * for and the end of the log, as soon as a watched process exits or when the deadline passes (the
   * processes are left running then: the caller stops them).
   */
  public static void awaitReady(
      List<Watched> processes, Readiness readiness, Duration timeout, String what)
      throws NotReadyException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "no answer yet";
    while (true) {
      for (Watched watched : processes) {
        if (!watched.process().isAlive()) {
          int status = watched.process().exitValue();
          throw new NotReadyException(
              String.format(
                  "%s exited (status %d) before %s was ready; the end of %s: %s",
                  watched.name(), status, what, watched.log(), tail(watched.log(), 5)),
              watched,
              status,
              lastProblem);
        }
      }
      try {
        Optional<String> problem = readiness.notReadyBecause();
        if (problem.isEmpty()) {
          return;
        }
        lastProblem = problem.get();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        lastProblem = e.toString();
      }
      if (System.nanoTime() - deadline >= 0) {
        String logs =
            processes.stream()
                .map(w -> "the end of " + w.log() + ": " + tail(w.log(), 5))
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
        throw new NotReadyException(
            String.format(
                "%s was not ready within %d s (%s); %s",
                what, timeout.toSeconds(), lastProblem, logs),
            null,
            0,
            lastProblem);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The last {@code lines} lines of {@code log}, joined by " | "; "(no log)" if unreadable. */
  public static String tail(Path log, int lines) {
    return String.join(" | ", tailLines(log, lines));
  }

  /** The last {@code lines} lines of {@code log}; empty if it cannot be read. */
  public static List<String> tailLines(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(no log)");
    }
  }

  // -------------------------------------------------------------------------------- stopping

  /** The signal that asks a service to shut down; SIGKILL follows if it does not. */
  public enum Signal {
    /** SIGTERM ({@link ProcessHandle#destroy}): what most services take as "shut down". */
    TERM,
    /** SIGINT: PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave). */
    INT
  }

  /** What {@link #stop} found and did. */
  public enum Outcome {
    /** There was no pid file. */
    NOT_RUNNING,
    /** The pid file named no live process of this service; the file is removed. */
    STALE_PID_FILE,
    /** The process ended after the polite signal. */
    STOPPED,
    /** The process outlived the timeout and was killed (SIGKILL). */
    KILLED,
    /** The process survived even SIGKILL (e.g. another user's, without permission). */
    STILL_RUNNING
  }

  /** What {@link #stop} did to which pid (-1 when none was read), and in how long. */
  public record Stop(Outcome outcome, long pid, Duration took) {
    /** Seconds with one decimal, e.g. "1.3", for messages. */
    public String seconds() {
      return String.format("%.1f", took.toMillis() / 1000.0);
    }
  }

  /**
   * Stops the process named by {@code pidFile} if it is alive and carries {@code identity}: {@code
   * signal}, a wait of at most {@code timeout}, then SIGKILL and a bounded wait; removes the pid
   * file unless the process still runs. A live pid of another program is left alone.
   */
  public static Stop stop(Path pidFile, List<String> identity, Signal signal, Duration timeout)
      throws InterruptedException {
    Optional<Long> pid = readPid(pidFile);
    if (pid.isEmpty() && !Files.exists(pidFile)) {
      return new Stop(Outcome.NOT_RUNNING, -1, Duration.ZERO);
    }
    Optional<ProcessHandle> process = pid.flatMap(p -> running(p, identity));
    if (process.isEmpty()) {
      deleteIfExists(pidFile);
      return new Stop(Outcome.STALE_PID_FILE, pid.orElse(-1L), Duration.ZERO);
    }
    Stop stop = stop(process.get(), signal, timeout);
    if (stop.outcome() != Outcome.STILL_RUNNING) {
      deleteIfExists(pidFile);
    }
    return stop;
  }

  /** {@link #stop(Path, List, Signal, Duration)} with SIGTERM. */
  public static Stop stop(Path pidFile, List<String> identity, Duration timeout)
      throws InterruptedException {
    return stop(pidFile, identity, Signal.TERM, timeout);
  }

  /**
   * Stops {@code process} (which the caller has identified): {@code signal}, a wait of at most
   * {@code timeout}, then SIGKILL and a wait of at most {@link #KILL_TIMEOUT}.
   */
  public static Stop stop(ProcessHandle process, Signal signal, Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    send(process, signal);
    Outcome outcome = Outcome.STOPPED;
    if (!awaitExit(process, timeout)) {
      process.destroyForcibly();
      outcome = awaitExit(process, KILL_TIMEOUT) ? Outcome.KILLED : Outcome.STILL_RUNNING;
    }
    return new Stop(outcome, process.pid(), Duration.ofNanos(System.nanoTime() - start));
  }

  /** Whether {@code process} ended within {@code timeout}. */
  public static boolean awaitExit(ProcessHandle process, Duration timeout)
      throws InterruptedException {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return !process.isAlive();
    }
  }

  private static void send(ProcessHandle process, Signal signal) throws InterruptedException {
    if (signal == Signal.TERM) {
      process.destroy();
      return;
    }
    // The JDK sends only SIGTERM and SIGKILL; kill(1) sends the others.
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal.name(), Long.toString(process.pid()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ----------------------------------------------------------------------------------- ports

  /** A port on 127.0.0.1 free at the time of asking (maybe not later: bind it soon). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code port} on 127.0.0.1 can be bound now. */
  public static boolean portIsFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
