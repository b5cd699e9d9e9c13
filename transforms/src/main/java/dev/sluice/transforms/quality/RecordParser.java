package dev.sluice.transforms.quality;

import java.io.Serializable;

/** Turns a record's text into a value, or says why it cannot. */
@FunctionalInterface
public interface RecordParser<T> extends Serializable {
  /**
   * @throws InvalidRecordException with the reason, when the record is malformed or invalid
   */
  T parse(String payload) throws InvalidRecordException;
}
