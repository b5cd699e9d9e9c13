package dev.sluice.pipelines.wordcount;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import org.junit.jupiter.api.Test;

class WordsTest {
  @Test
  void splitsOnAnythingButLettersDigitsAndInnerApostrophes() {
    assertThat(
        Words.split("Beam, beam! Don't 'quote' x2 -- naïve ÜBER"),
        contains("beam", "beam", "don't", "quote", "x2", "naïve", "über"));
  }

  @Test
  void emptyAndPunctuationOnlyTextHasNoWords() {
    assertThat(Words.split(""), empty());
    assertThat(Words.split(" ,.;'' -- "), empty());
  }
}
