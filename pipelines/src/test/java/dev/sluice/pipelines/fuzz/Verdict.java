package dev.sluice.pipelines.fuzz;

import dev.sluice.transforms.quality.InvalidRecordException;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;

/**
 * What became of one fuzz input: parsed into a usable value, or a dead letter of a kind. Judging an
 * input fails (an {@link AssertionError} naming the input) on everything the parser contract
 * forbids: an exception other than {@link InvalidRecordException}, a parsed value whose coder does
 * not give it back equal, or an event time, of a value or of a refusal, outside Beam's range.
 */
record Verdict(boolean parsed, String kind) {
  static final String PARSED = "parsed";

  static <T> Verdict of(FuzzedParser<T> parser, String input) {
    T value;
    try {
      value = parser.parser().parse(input);
    } catch (InvalidRecordException e) {
      if (e.eventTimeMillis() != null) {
        checkInBeamRange(new Instant(e.eventTimeMillis().longValue()), "dead letter", input);
      }
      return new Verdict(false, e.kind());
    } catch (Throwable e) {
      // What ParseOrDeadLetter would only catch as kind parser-error, or not at all (an Error).
      throw new AssertionError(
          parser.name()
              + " threw "
              + e
              + " (not InvalidRecordException) for input "
              + quoted(input),
          e);
    }
    if (value == null) {
      throw new AssertionError(parser.name() + " returned null for input " + quoted(input));
    }
    try {
      checkInBeamRange(parser.eventTime().apply(value), "parsed value", input);
      T decoded =
          CoderUtils.decodeFromByteArray(
              parser.coder(), CoderUtils.encodeToByteArray(parser.coder(), value));
      if (!value.equals(decoded)) {
        throw new AssertionError(
            "coder round trip changed "
                + quoted(String.valueOf(value))
                + " into "
                + quoted(String.valueOf(decoded))
                + " for input "
                + quoted(input));
      }
      parser.downstream().check(value);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(
          parser.name()
              + ": parsed value "
              + quoted(String.valueOf(value))
              + " is unusable ("
              + e
              + ") for input "
              + quoted(input),
          e);
    }
    return new Verdict(true, PARSED);
  }

  private static void checkInBeamRange(Instant time, String what, String input) {
    if (time == null
        || time.isBefore(BoundedWindow.TIMESTAMP_MIN_VALUE)
        || time.isAfter(BoundedWindow.TIMESTAMP_MAX_VALUE)) {
      throw new AssertionError(
          what + " has event time " + time + ", outside Beam's range, for input " + quoted(input));
    }
  }

  /** The input as a Java string literal, so that a finding can be pasted into a regression test. */
  static String quoted(String s) {
    StringBuilder out = new StringBuilder("\"");
    int shown = Math.min(s.length(), 2000);
    for (int i = 0; i < shown; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (shown < s.length()) {
      out.append("...\" (").append(s.length()).append(" chars)");
      return out.toString();
    }
    return out.append('"').toString();
  }
}
