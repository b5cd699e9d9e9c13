package dev.sluice.pipelines.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a stream's lines as bytes, one at a time, keeping at most a limit of each line's bytes in
 * memory (the rest is counted and skipped), so one endless line cannot exhaust the heap. A line
 * ends at {@code \n}; a {@code \r} right before it is dropped ({@code \r\n}); the last line needs
 * no {@code \n}. Line numbers are what an editor shows: the n-th {@code \n} ends line n.
 *
 * <pre>{@code
 * LineBytes lines = new LineBytes(in, 1 << 20);
 * while (lines.next()) {
 *   use(lines.bytes(), lines.length(), lines.size());
 * }
 * }</pre>
 */
final class LineBytes {
  private static final int CHUNK = 64 * 1024;

  private final InputStream in;
  private final int keep;
  private final byte[] chunk = new byte[CHUNK];
  private int chunkPos;
  private int chunkEnd;
  private boolean eof;

  private byte[] line = new byte[256];
  private int length;
  private long size;

  /** Reads {@code in}, keeping up to {@code keep} bytes of a line (one more, to see it is over). */
  LineBytes(InputStream in, int keep) {
    this.in = in;
    this.keep = keep;
  }

  /** Moves to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    length = 0;
    size = 0;
    boolean any = false;
    boolean pendingCr = false; // a \r kept out of the line until we know whether \n follows
    while (true) {
      if (chunkPos == chunkEnd && !fill()) {
        if (pendingCr) {
          append((byte) '\r');
        }
        return any;
      }
      any = true;
      int start = chunkPos;
      int newline = -1;
      for (int i = start; i < chunkEnd; i++) {
        if (chunk[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? chunkEnd : newline;
      if (end > start) {
        if (pendingCr) {
          append((byte) '\r');
          pendingCr = false;
        }
        int last = end;
        if (chunk[end - 1] == '\r') {
          last = end - 1;
          pendingCr = true;
        }
        append(chunk, start, last - start);
      }
      chunkPos = newline < 0 ? chunkEnd : newline + 1;
      if (newline >= 0) {
        return true; // a pending \r before this \n is dropped
      }
    }
  }

  /** The kept bytes of the current line: {@code bytes()[0, length())}. */
  byte[] bytes() {
    return line;
  }

  int length() {
    return length;
  }

  /** The current line's whole size in bytes (more than {@link #length()} when it was capped). */
  long size() {
    return size;
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(chunk, 0, CHUNK);
    while (n == 0) {
      n = in.read(chunk, 0, CHUNK);
    }
    if (n < 0) {
      eof = true;
      return false;
    }
    chunkPos = 0;
    chunkEnd = n;
    return true;
  }

  private void append(byte b) {
    append(new byte[] {b}, 0, 1);
  }

  private void append(byte[] from, int offset, int count) {
    size += count;
    int room = (int) Math.min((long) keep + 1 - length, count);
    if (room <= 0) {
      return;
    }
    if (length + room > line.length) {
      long capacity = Math.min((long) keep + 1, Math.max(line.length * 2L, length + room));
      byte[] grown = new byte[(int) capacity];
      System.arraycopy(line, 0, grown, 0, length);
      line = grown;
    }
    System.arraycopy(from, offset, line, length, room);
    length += room;
  }
}
