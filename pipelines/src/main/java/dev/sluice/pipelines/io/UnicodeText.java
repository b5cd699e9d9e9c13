package dev.sluice.pipelines.io;

import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Refuses a parsed text field that is not Unicode text: one with an unpaired UTF-16 surrogate,
 * which a JSON escape such as <code>"&#92;ud800"</code> (half of a character) puts into a Java
 * string. UTF-8, and so Beam's {@code StringUtf8Coder}, cannot carry it: the value would come out
 * of its coder with a {@code ?} instead, a different value after a shuffle than before.
 *
 * <pre>{@code
 * String device = UnicodeText.check("device", node.get("device").textValue(), ts);
 * }</pre>
 */
public final class UnicodeText {
  /** The kind of the refusal. */
  public static final String KIND = "bad-unicode";

  private UnicodeText() {}

  /**
   * {@code value} unchanged if it is Unicode text; else an {@link InvalidRecordException} of kind
   * {@value #KIND} naming the field and where the unpaired surrogate is.
   */
  public static String check(String field, String value, @Nullable Long eventTimeMillis)
      throws InvalidRecordException {
    int at = unpairedSurrogate(value);
    if (at >= 0) {
      throw new InvalidRecordException(
          KIND,
          String.format(
              Locale.ROOT,
              "field '%s' has an unpaired surrogate \\u%04x at index %d: not Unicode text (half of"
                  + " a character)",
              field,
              (int) value.charAt(at),
              at),
          eventTimeMillis);
    }
    return value;
  }

  /** The index of the first surrogate of {@code s} that is not half of a pair, or -1. */
  static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
