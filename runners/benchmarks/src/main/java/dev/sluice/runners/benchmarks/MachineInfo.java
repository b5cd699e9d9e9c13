package dev.sluice.runners.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The machine a benchmark ran on and how loaded it was, from {@code /proc}. */
record MachineInfo(
    Instant time, int cores, String cpu, long memoryMiB, String java, String loadAverage) {

  static MachineInfo now() {
    return new MachineInfo(
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        Runtime.getRuntime().availableProcessors(),
        firstValue("/proc/cpuinfo", "model name", "unknown CPU"),
        Long.parseLong(firstValue("/proc/meminfo", "MemTotal", "0").replaceAll("[^0-9]", ""))
            / 1024,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        read("/proc/loadavg").split(" ").length >= 3
            ? String.join(" ", List.of(read("/proc/loadavg").split(" ")).subList(0, 3))
            : "unknown");
  }

  private static String firstValue(String file, String key, String otherwise) {
    return read(file)
        .lines()
        .filter(line -> line.startsWith(key))
        .map(line -> line.substring(line.indexOf(':') + 1).trim())
        .findFirst()
        .orElse(otherwise);
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }
}
