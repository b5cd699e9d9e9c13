package dev.sluice.pipelines.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.transforms.quality.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RecordBytesTest {
  private static byte[] concat(String head, int[] bad, String tail) {
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] t = tail.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[h.length + bad.length + t.length];
    System.arraycopy(h, 0, all, 0, h.length);
    for (int i = 0; i < bad.length; i++) {
      all[h.length + i] = (byte) bad[i];
    }
    System.arraycopy(t, 0, all, h.length + bad.length, t.length);
    return all;
  }

  @Test
  void validUtf8WithinTheLimitIsTheTextExactly() {
    byte[] line = "{\"text\":\"naïve über ✓\"}".getBytes(StandardCharsets.UTF_8);
    RawRecord r = new RecordBytes(1024).toRecord("f", "3", line, line.length, line.length);
    assertThat(r, equalTo(RawRecord.of("f", "3", "{\"text\":\"naïve über ✓\"}")));
  }

  @Test
  void everyKindOfBadUtf8IsNotUtf8AtTheOffsetOfItsFirstBadByteWithTheBytesKept() {
    int[][] bad = {{0xC3, 0x28}, {0xFF}, {0xC0, 0xAF}, {0xED, 0xA0, 0x80}, {0xE2, 0x82}, {0x80}};
    for (int[] b : bad) {
      // "é" is 2 bytes: the bad byte is at offset 13, not 12 (bytes, not chars).
      byte[] line = concat("{\"text\":\"café", b, " au lait\"}");
      RawRecord r = new RecordBytes(1024).toRecord("f", "7", line, line.length, line.length);
      assertThat(r.isUnreadable(), equalTo(true));
      assertThat(r.unreadableKind(), equalTo("not-utf8"));
      assertThat(r.unreadableReason(), containsString("byte offset 14 of " + line.length));
      assertThat(Base64.getDecoder().decode(r.rawBase64()), equalTo(line));
      assertThat(r.payload(), containsString("caf\u00e9\uFFFD"));
    }
  }

  @Test
  void aRecordOverTheLimitIsOversizeWithItsSizeAndOnlyItsHeadCutAtACharacter() {
    byte[] line = ("{\"text\":\"" + "é".repeat(5_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    RawRecord r = new RecordBytes(1_000).toRecord("f", "8", line, 1_000, line.length);
    assertThat(r.unreadableKind(), equalTo("oversize"));
    assertThat(
        r.unreadableReason(), containsString("record is 10011 bytes, over the limit of 1000"));
    // 9 ASCII bytes, then 2-byte characters: 1 000 bytes would cut one, so 999.
    assertThat(r.payload(), equalTo("{\"text\":\"" + "é".repeat(495)));
    assertThat(r.rawBase64() == null, equalTo(true));
    RawRecord atLimit =
        new RecordBytes(line.length).toRecord("f", "9", line, line.length, line.length);
    assertThat(atLimit.isUnreadable(), equalTo(false));
  }

  @Test
  void theLimitMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RecordBytes(0));
    assertThat(e.getMessage(), equalTo("--maxRecordBytes: must be more than 0 (bytes), was 0"));
  }
}
