package dev.sluice.transforms.quality;

/** Thrown by a {@link RecordParser} when a record cannot be used; the message is the reason. */
public class InvalidRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidRecordException(String reason) {
    super(reason);
  }

  public InvalidRecordException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
