package dev.sluice.transforms.distinct;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.coders.Coder;

/**
 * The bytes an element is hashed from: one marker byte {@code 0x01}, then the element's encoding by
 * its coder. The marker keeps elements whose encoding is empty (a {@code VoidCoder} value, for
 * example) from being skipped: DataSketches ignores empty byte arrays.
 */
final class ElementEncoding {
  private static final int MARKER = 0x01;

  private ElementEncoding() {}

  /** The bytes that identify a value; equal for equal values if the coder is deterministic. */
  static <T> byte[] of(Coder<T> coder, T value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    out.write(MARKER);
    try {
      coder.encode(value, out);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot encode an element with " + coder + " to hash it: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Refuses a coder that is not deterministic: equal elements would hash differently and be
   * counted, or let through, more than once.
   *
   * @param where the transform and the role of the coder, for the message (e.g. {@code
   *     ApproximateDistinct.perKey: the key coder})
   */
  static void checkDeterministic(String where, Coder<?> coder) {
    try {
      coder.verifyDeterministic();
    } catch (Coder.NonDeterministicException e) {
      throw new IllegalArgumentException(
          where
              + " "
              + coder
              + " is not deterministic, so equal elements could hash differently: "
              + e.getMessage()
              + ". Use a deterministic coder (e.g. StringUtf8Coder, VarLongCoder, a schema coder).",
          e);
    }
  }
}
