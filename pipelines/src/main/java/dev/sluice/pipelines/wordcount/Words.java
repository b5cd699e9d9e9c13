package dev.sluice.pipelines.wordcount;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the word count splits text: a word is a maximal run of letters, digits and apostrophes inside
 * a word ({@code don't}); words are lower-cased (root locale). Leading and trailing apostrophes are
 * not part of a word.
 */
public final class Words {
  private Words() {}

  /** The words of {@code text}, in order, lower-cased. */
  public static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && !isWordChar(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      int start = i;
      while (i < n && (isWordChar(text.codePointAt(i)) || text.charAt(i) == '\'')) {
        i += Character.charCount(text.codePointAt(i));
      }
      int end = i;
      while (end > start && text.charAt(end - 1) == '\'') {
        end--;
      }
      if (end > start) {
        words.add(text.substring(start, end).toLowerCase(Locale.ROOT));
      }
    }
    return words;
  }

  private static boolean isWordChar(int codePoint) {
    return Character.isLetterOrDigit(codePoint);
  }
}
