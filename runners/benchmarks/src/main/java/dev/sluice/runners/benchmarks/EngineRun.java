package dev.sluice.runners.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one command in its own process and measures it: wall time of the process, the job's own time
 * (what the job prints as "finished … in S s": from the pipeline's start to its end, JVM start-up
 * and class loading left out), and peak memory: the process's resident set high-water mark ({@code
 * VmHWM} of {@code /proc/PID/status}, read every 100 ms until it exits).
 */
final class EngineRun {
  private EngineRun() {}

  private static final Pattern JOB_TIME = Pattern.compile("finished (?:on \\S+ )?in ([0-9.]+) s");

  /** One measured process. */
  record Measurement(double wallSeconds, double jobSeconds, long peakRssBytes) {}

  /**
   * Runs {@code command}, its output to {@code log}; fails with the log's tail if the process
   * fails, prints no job time, or runs past {@code timeout} (then it is killed, by its PID).
   */
  static Measurement run(List<String> command, Path log, Duration timeout) {
    try {
      Process process = start(command, log);
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      long peak = 0;
      while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
        peak = Math.max(peak, highWaterMark(process.pid()));
        if (System.nanoTime() > deadline) {
          process.destroyForcibly().waitFor();
          throw new IllegalStateException(
              "killed after " + timeout.toSeconds() + " s (see " + log + ")" + tail(log));
        }
      }
      double wall = (System.nanoTime() - start) / 1e9;
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "exit " + process.exitValue() + " (see " + log + ")" + tail(log));
      }
      Matcher time = JOB_TIME.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (!time.find()) {
        throw new IllegalStateException("no 'finished in' line (see " + log + ")" + tail(log));
      }
      return new Measurement(wall, Double.parseDouble(time.group(1)), peak);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Starts {@code command} with its output and errors to {@code log}. */
  private static Process start(List<String> command, Path log) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** One measured stream. */
  record StreamMeasurement(double seconds, double wallSeconds, long peakRssBytes) {}

  /**
   * Runs the streaming job {@code command}, its output to {@code log}, until {@code complete} says
   * what it wrote is complete (asked about every 100 ms; it may itself block that long, e.g. in a
   * Kafka poll), then stops it as a user would ({@link LiveStream#close}). The time measured runs
   * from the launcher's line that the stream runs (the pipeline submitted: JVM start-up and the
   * graph's construction left out) to {@code complete}.
   *
   * @throws IllegalStateException with the log's tail if the process ends by itself or {@code
   *     complete} is not reached within {@code timeout}
   */
  static StreamMeasurement runStream(
      List<String> command, Path log, Duration timeout, BooleanSupplier complete) {
    long start = System.nanoTime();
    try (LiveStream stream = LiveStream.start(command, log)) {
      long launched = stream.awaitLaunched(timeout);
      long deadline = start + timeout.toNanos();
      while (!complete.getAsBoolean()) {
        stream.checkRunning();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "output not complete after " + timeout.toSeconds() + " s" + stream.seeLog());
        }
        stream.waitFor(Duration.ofMillis(100));
      }
      long done = System.nanoTime();
      return new StreamMeasurement(
          (done - launched) / 1e9, (done - start) / 1e9, stream.peakRssBytes());
    }
  }

  /** VmHWM of a live process in bytes; 0 once it is gone (or where /proc has none). */
  static long highWaterMark(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process ended between the check and the read.
    }
    return 0;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "\n    "
          + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
