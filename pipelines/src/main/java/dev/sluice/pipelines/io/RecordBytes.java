package dev.sluice.pipelines.io;

import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.transforms.quality.RawRecord;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Turns a record's bytes (a file's line, a Kafka value) into a {@link RawRecord}: strict UTF-8 text
 * when the bytes are valid and within the size limit; else an {@link RawRecord#unreadable
 * unreadable} record of kind {@value #NOT_UTF8} (the offset of the first bad byte, the lossy text
 * and the original bytes in base64) or {@value #OVERSIZE} (the size, and only the first {@value
 * #OVERSIZE_HEAD_BYTES} bytes as text). A record is never silently altered.
 *
 * <p>Not thread-safe (it keeps a decoder): one per DoFn instance.
 */
final class RecordBytes {
  /** The dead-letter kind of a record whose bytes are not UTF-8. */
  static final String NOT_UTF8 = "not-utf8";

  /** The dead-letter kind of a record longer than the limit. */
  static final String OVERSIZE = "oversize";

  /** How much of an oversize record its dead letter shows. */
  static final int OVERSIZE_HEAD_BYTES = 4_096;

  private final int maxRecordBytes;
  private final CharsetDecoder strict =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  RecordBytes(int maxRecordBytes) {
    this.maxRecordBytes = JobOptions.checkMaxRecordBytes(maxRecordBytes);
  }

  int maxRecordBytes() {
    return maxRecordBytes;
  }

  /**
   * The record at {@code source}/{@code position}: {@code bytes[0, length)} are its first bytes and
   * {@code size} its whole size ({@code size > length} only when the reader stopped keeping bytes
   * past the limit).
   */
  RawRecord toRecord(String source, String position, byte[] bytes, int length, long size) {
    if (size > maxRecordBytes) {
      int head = utf8Boundary(bytes, Math.min(length, OVERSIZE_HEAD_BYTES));
      return RawRecord.unreadable(
          source,
          position,
          new String(bytes, 0, head, StandardCharsets.UTF_8),
          OVERSIZE,
          String.format(
              "record is %d bytes, over the limit of %d (--maxRecordBytes); raw holds its first %d"
                  + " bytes",
              size, maxRecordBytes, head),
          null);
    }
    strict.reset();
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
    CharBuffer out = CharBuffer.allocate(length); // UTF-8 never has more chars than bytes
    CoderResult result = strict.decode(in, out, true);
    if (!result.isError()) {
      result = strict.flush(out);
    }
    if (result.isError()) {
      return RawRecord.unreadable(
          source,
          position,
          new String(bytes, 0, length, StandardCharsets.UTF_8),
          NOT_UTF8,
          String.format(
              "not UTF-8: invalid byte 0x%02X at byte offset %d of %d",
              bytes[in.position()] & 0xFF, in.position(), length),
          Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, length)));
    }
    return RawRecord.of(source, position, out.flip().toString());
  }

  /** {@code end}, moved back to the start of a UTF-8 sequence that would not end before it. */
  private static int utf8Boundary(byte[] bytes, int end) {
    int lead = end - 1;
    while (lead > 0 && lead > end - 4 && (bytes[lead] & 0xC0) == 0x80) {
      lead--;
    }
    if (lead < 0) {
      return end;
    }
    int first = bytes[lead] & 0xFF;
    int needs = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
    return lead + needs > end ? lead : end;
  }
}
