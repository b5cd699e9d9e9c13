package dev.sluice.pipelines.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineBytesTest {
  /** Every line as "text|size", read in chunks of at most {@code chunk} bytes per read. */
  private static List<String> lines(byte[] input, int keep, int chunk) throws IOException {
    InputStream in =
        new ByteArrayInputStream(input) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, chunk));
          }
        };
    LineBytes lines = new LineBytes(in, keep);
    List<String> out = new ArrayList<>();
    while (lines.next()) {
      out.add(
          new String(lines.bytes(), 0, lines.length(), StandardCharsets.ISO_8859_1)
              + "|"
              + lines.size());
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void linesEndAtNewlineAndACarriageReturnBeforeItIsDropped() throws IOException {
    byte[] input = bytes("a\nbc\r\n\r\nd\re\n\nlast");
    List<String> want = List.of("a|1", "bc|2", "|0", "d\re|3", "|0", "last|4");
    for (int chunk : new int[] {1, 2, 3, 1000}) {
      assertThat("chunks of " + chunk, lines(input, 100, chunk), equalTo(want));
    }
  }

  @Test
  void aFinalNewlineMakesNoEmptyLineAndAnEmptyStreamHasNone() throws IOException {
    assertThat(lines(bytes("x\n"), 100, 1000), equalTo(List.of("x|1")));
    assertThat(lines(bytes("x\r"), 100, 1000), equalTo(List.of("x\r|2")));
    assertThat(lines(new byte[0], 100, 1000), equalTo(List.of()));
  }

  @Test
  void aLongLineIsCappedInMemoryButCountedWholeAndTheNextLineIsIntact() throws IOException {
    byte[] big = new byte[300_000];
    Arrays.fill(big, (byte) 'z');
    byte[] input = new byte[big.length + 6];
    System.arraycopy(big, 0, input, 0, big.length);
    System.arraycopy(bytes("\r\nok\n"), 0, input, big.length, 5);
    input[input.length - 1] = 'k';
    List<String> got = lines(input, 10, 70_000);
    assertThat(got, equalTo(List.of("zzzzzzzzzzz|300000", "ok|2", "k|1")));
  }
}
