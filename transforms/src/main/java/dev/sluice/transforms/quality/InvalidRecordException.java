package dev.sluice.transforms.quality;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Thrown by a {@link RecordParser} when a record cannot be used. The message is the reason, for
 * people; the kind is a short, stable name for the reason ({@code not-json}, {@code missing-field},
 * ...) that metrics count by; the event time is the record's own time when the parser got as far as
 * reading it.
 *
 * <pre>{@code
 * throw new InvalidRecordException("missing-field", "missing field 'ts'");
 * }</pre>
 */
public class InvalidRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final @Nullable Long eventTimeMillis;

  public InvalidRecordException(String kind, String reason) {
    this(kind, reason, null);
  }

  public InvalidRecordException(String kind, String reason, @Nullable Long eventTimeMillis) {
    super(reason);
    this.kind = DeadLetter.checkKind(kind);
    this.eventTimeMillis = eventTimeMillis;
  }

  /** A short, stable name for the reason, e.g. {@code not-json}. */
  public String kind() {
    return kind;
  }

  /** The record's event time, when the parser could read it; else null. */
  public @Nullable Long eventTimeMillis() {
    return eventTimeMillis;
  }
}
