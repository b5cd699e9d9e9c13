package dev.sluice.transforms.quality;

import java.io.Serializable;

/**
 * Turns a record's text into a value, or says why it cannot, for {@link ParseOrDeadLetter}.
 *
 * <pre>{@code
 * RecordParser<Long> millis = text -> {
 *   try {
 *     return Long.parseLong(text);
 *   } catch (NumberFormatException e) {
 *     throw new InvalidRecordException("not-a-number", "not a number: " + text);
 *   }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface RecordParser<T> extends Serializable {
  /**
   * @throws InvalidRecordException with the reason, when the record is malformed or invalid
   */
  T parse(String payload) throws InvalidRecordException;
}
