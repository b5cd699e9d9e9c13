package dev.sluice.pipelines.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.transforms.quality.InvalidRecordException;
import org.junit.jupiter.api.Test;

class UnicodeTextTest {
  private static final String GRINNING_FACE = new String(Character.toChars(0x1F600));

  @Test
  void keepsTextWhosePairsAreWhole() throws Exception {
    String text = "a\u00fc\u65e5" + GRINNING_FACE + GRINNING_FACE + "\uFFFD";
    assertThat(UnicodeText.check("f", text, null), equalTo(text));
    assertThat(UnicodeText.check("f", "", null), equalTo(""));
  }

  @Test
  void findsTheFirstHalfOfACharacterWhereverItIs() {
    char high = GRINNING_FACE.charAt(0);
    char low = GRINNING_FACE.charAt(1);
    assertThat(UnicodeText.unpairedSurrogate("ab" + high), equalTo(2));
    assertThat(UnicodeText.unpairedSurrogate(low + "ab"), equalTo(0));
    assertThat(UnicodeText.unpairedSurrogate("a" + low + high), equalTo(1));
    assertThat(UnicodeText.unpairedSurrogate(high + "x" + low), equalTo(0));
    assertThat(UnicodeText.unpairedSurrogate(GRINNING_FACE + high + high), equalTo(2));
  }

  @Test
  void refusesWithTheFieldThePlaceAndTheEventTime() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class, () -> UnicodeText.check("device", "dev-\uDC00", 42L));
    assertThat(e.kind(), equalTo("bad-unicode"));
    assertThat(
        e.getMessage(),
        equalTo(
            "field 'device' has an unpaired surrogate \\udc00 at index 4: not Unicode text (half"
                + " of a character)"));
    assertThat(e.eventTimeMillis(), equalTo(42L));
  }
}
