package dev.sluice.transforms.window;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;

/**
 * Parses the short durations used in flags and templates: a positive whole number followed by a
 * unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} (for example {@code 500ms}, {@code
 * 30s}, {@code 10m}, {@code 1h}, {@code 2d}).
 *
 * <pre>{@code
 * Duration size = DurationSpec.parse("--windowSize", "10m");   // 10 minutes
 * DurationSpec.parse("--windowSize", "ten");  // IllegalArgumentException:
 *     // --windowSize: 'ten' is not a duration; use a whole number and a unit ms, s, m, h or d ...
 * String text = DurationSpec.format(Duration.standardMinutes(90));   // "90m"
 * }</pre>
 */
public final class DurationSpec {
  private static final Pattern SPEC = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  /** The longest duration in whole days: a long of milliseconds. */
  private static final long MAX_DAYS = Long.MAX_VALUE / 86_400_000L;

  private DurationSpec() {}

  /**
   * Returns the duration {@code text} names.
   *
   * @param what what the duration is for, named in the error (for example {@code --windowSize})
   * @throws IllegalArgumentException naming {@code what}, the value and the accepted form
   */
  public static Duration parse(String what, String text) {
    String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SPEC.matcher(trimmed);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: '%s' is not a duration; use a whole number and a unit ms, s, m, h or d"
                  + " (e.g. 30s, 10m, 1h)",
              what, text));
    }
    long amount = Long.parseLong(m.group(1));
    if (amount == 0) {
      throw new IllegalArgumentException(
          String.format("%s: '%s' must be longer than zero", what, text));
    }
    try {
      return of(amount, m.group(2));
    } catch (ArithmeticException e) {
      // Twelve digits of days overflow a duration's long milliseconds.
      throw new IllegalArgumentException(
          String.format("%s: '%s' is too long; a duration is at most %dd", what, text, MAX_DAYS),
          e);
    }
  }

  private static Duration of(long amount, String unit) {
    switch (unit) {
      case "ms":
        return Duration.millis(amount);
      case "s":
        return Duration.standardSeconds(amount);
      case "m":
        return Duration.standardMinutes(amount);
      case "h":
        return Duration.standardHours(amount);
      default:
        return Duration.standardDays(amount);
    }
  }

  /**
   * Like {@link #parse}, but zero ({@code 0}, or 0 in any unit) is allowed and means none: for
   * bounds like an allowed lateness.
   *
   * @throws IllegalArgumentException as {@link #parse} does, for anything else
   */
  public static Duration parseOrZero(String what, String text) {
    if (text != null && text.trim().matches("0+(ms|s|m|h|d)?")) {
      return Duration.ZERO;
    }
    return parse(what, text);
  }

  /**
   * Formats {@code d} in the largest unit that divides it exactly, the inverse of {@link #parse}.
   */
  public static String format(Duration d) {
    long ms = d.getMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms % sizes[i] == 0) {
        return (ms / sizes[i]) + units[i];
      }
    }
    return ms + "ms";
  }
}
