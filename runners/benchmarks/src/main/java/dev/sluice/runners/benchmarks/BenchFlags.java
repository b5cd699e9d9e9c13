package dev.sluice.runners.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * The value checks of the benchmark commands' flags (the commands read them with picocli, see
 * {@link dev.sluice.launcher.cli.Cli}): counts written plainly or as powers of ten (1e6,
 * 1_000_000), lists of them, lists of names. Each failure names the flag and what is allowed.
 */
final class BenchFlags {
  private BenchFlags() {}

  /** {@code text} of {@code flag} as a whole number of at least {@code min} (1e6, 1_000_000). */
  static long count(String flag, String text, long min) {
    try {
      return parseCount(text, min);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          flag + " must be a whole number of at least " + min + ", was '" + text + "'");
    }
  }

  /** {@code text} of {@code flag} as whole numbers separated by commas, each at least min. */
  static List<Long> counts(String flag, String text, long min) {
    try {
      return Arrays.stream(text.split(",")).map(s -> parseCount(s.trim(), min)).toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          flag
              + " must be whole numbers of at least "
              + min
              + " separated by commas (e.g. 1e5,1e6), was '"
              + text
              + "'");
    }
  }

  /** {@code text} of {@code flag} as names separated by commas, each one of {@code allowed}. */
  static List<String> namesOf(String flag, String text, List<String> allowed) {
    List<String> chosen = Arrays.stream(text.split(",")).map(String::trim).toList();
    for (String value : chosen) {
      if (!allowed.contains(value)) {
        throw new IllegalArgumentException(
            flag + ": unknown '" + value + "'; allowed: " + String.join(", ", allowed));
      }
    }
    return chosen;
  }

  private static long parseCount(String text, long min) {
    String plain = text.replace("_", "");
    long value;
    if (plain.matches("\\d+")) {
      value = Long.parseLong(plain);
    } else if (plain.matches("\\d+(\\.\\d+)?[eE]\\d+")) {
      double d = Double.parseDouble(plain);
      value = (long) d;
      if (value != d) {
        throw new IllegalArgumentException(text);
      }
    } else {
      throw new IllegalArgumentException(text);
    }
    if (value < min) {
      throw new IllegalArgumentException(text);
    }
    return value;
  }
}
