package dev.sluice.runners.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A streaming job's process while it runs, for the benchmarks: started with its output to a log,
 * watched until the job is submitted (the launcher's "JOB runs on RUNNER as NAME until stopped:
 * ..." line, which the native Flink stream prints too), measured from {@code /proc} (CPU time of
 * all its threads, resident-set high-water mark), and stopped as a user stops it: SIGTERM by its
 * PID, SIGKILL 60 s later.
 */
final class LiveStream implements AutoCloseable {
  /** What a stream's process prints once its job is submitted. */
  static final String LAUNCHED = " until stopped: ";

  /** Linux's clock ticks per second of {@code /proc/PID/stat}'s CPU times (USER_HZ). */
  private static final double TICKS_PER_SECOND = 100;

  private final Process process;
  private final Path log;
  private long launchedNanos;

  private LiveStream(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} with its output and errors to {@code log}. */
  static LiveStream start(List<String> command, Path log) {
    try {
      return new LiveStream(
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start(),
          log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
  }

  /**
   * Waits until the process says its job runs; returns {@link System#nanoTime} of when it was seen.
   *
   * @throws IllegalStateException with the log's tail if the process ends first or {@code timeout}
   *     passes
   */
  long awaitLaunched(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (launchedNanos == 0) {
      if (logText().contains(LAUNCHED)) {
        launchedNanos = System.nanoTime();
        break;
      }
      checkRunning();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no '" + LAUNCHED.strip() + "' line after " + timeout.toSeconds() + " s" + seeLog());
      }
      waitFor(Duration.ofMillis(100));
    }
    return launchedNanos;
  }

  /**
   * @throws IllegalStateException with the log's tail if the process has ended
   */
  void checkRunning() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the stream ended by itself, exit " + process.exitValue() + seeLog());
    }
  }

  /** Waits up to {@code time} for the process to end (a bounded pause between checks). */
  void waitFor(Duration time) {
    try {
      process.waitFor(time.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The CPU time its threads have used so far (user and system), in seconds; 0 once it ended. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // After the command name in parentheses: state is field 3, utime 14, stime 15.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0; // it ended between the check and the read
    }
  }

  /** Its resident set's high-water mark ({@code VmHWM}) in bytes; 0 once it ended. */
  long peakRssBytes() {
    return EngineRun.highWaterMark(process.pid());
  }

  /** The log's last lines, for an error message. */
  String seeLog() {
    List<String> lines = logText().lines().toList();
    return " (see "
        + log
        + ")\n    "
        + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
  }

  private String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops it: SIGTERM, then SIGKILL if it has not ended within 60 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
