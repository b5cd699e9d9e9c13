package dev.sluice.runners.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value checks of {@code ./sluice bench}'s flags (counts like 1e6, lists of names), and the
 * {@code --name=value} arguments {@link Bench} hands to the programs it starts in their own JVMs
 * (figures of sketches and partitions, the plain-Java model); an unknown or missing one is one
 * clear line.
 */
final class BenchFlags {
  private final String program;
  private final Map<String, String> values;

  private BenchFlags(String program, Map<String, String> values) {
    this.program = program;
    this.values = values;
  }

  /** Parses {@code args} from index {@code first} on; only {@code allowed} names are accepted. */
  static BenchFlags parse(String program, String[] args, int first, List<String> allowed) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : Arrays.asList(args).subList(Math.min(first, args.length), args.length)) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException(
            program
                + ": expected --name=value, got '"
                + arg
                + "'; allowed: --"
                + String.join(", --", allowed));
      }
      String name = arg.substring(2, arg.indexOf('='));
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(
            program + ": unknown flag --" + name + "; allowed: --" + String.join(", --", allowed));
      }
      values.put(name, arg.substring(arg.indexOf('=') + 1));
    }
    return new BenchFlags(program, values);
  }

  String get(String name) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(program + ": --" + name + " is required");
    }
    return value;
  }

  String get(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  /** A whole number of at least {@code min}; 1e6 and 1_000_000 are accepted. */
  long number(String name, String defaultValue, long min) {
    return prefixed(() -> count("--" + name, get(name, defaultValue), min));
  }

  /** A comma-separated list of whole numbers, each at least {@code min}. */
  List<Long> numbers(String name, String defaultValue, long min) {
    return prefixed(() -> counts("--" + name, get(name, defaultValue), min));
  }

  private <T> T prefixed(java.util.function.Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(program + ": " + e.getMessage(), e);
    }
  }

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
