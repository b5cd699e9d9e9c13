package dev.sluice.pipelines.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Makes a parser's fuzz inputs from its valid lines. Random text alone dies at the first JSON
 * character, so most inputs are valid lines mutated a few times: structurally (a JSON object's
 * fields, or a log line's fields, are dropped, duplicated, swapped, given values of the wrong type
 * or extreme values, or plausible valid ones), then often as text (truncated anywhere, random
 * characters inserted, ranges deleted or repeated, unicode oddities spliced in). A small share is
 * fully random text. Everything is drawn from the {@link Random} given, so a seed replays a run.
 */
final class Mutator {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Common/Combined log line's fields: a [time], a "quoted string", or a run of non-spaces. */
  private static final Pattern LOG_FIELD =
      Pattern.compile("\\[[^\\]]*\\]|\"(?:[^\"\\\\]|\\\\.)*\"|\\S+");

  private final List<String> validLines;

  Mutator(List<String> validLines) {
    if (validLines.isEmpty()) {
      throw new IllegalArgumentException("a mutator needs at least one valid line");
    }
    this.validLines = List.copyOf(validLines);
  }

  /** One input: 5 % random text; else a valid line mutated structurally and/or as text. */
  String next(Random r) {
    int dice = r.nextInt(100);
    if (dice < 5) {
      return Values.randomText(r, r.nextInt(20) == 0 ? 3000 : 80);
    }
    String line = validLines.get(r.nextInt(validLines.size()));
    if (dice < 70) {
      line = structural(line, r);
    }
    if (dice >= 45) {
      int edits = 1 + r.nextInt(3);
      for (int i = 0; i < edits; i++) {
        line = Text.mutate(line, r);
      }
    }
    return line;
  }

  private static String structural(String line, Random r) {
    // A JSON object line is mutated field by field; anything else as a log line's fields.
    List<String[]> fields = jsonFields(line);
    int edits = 1 + r.nextInt(3);
    if (fields != null) {
      for (int i = 0; i < edits; i++) {
        JsonObjects.mutate(fields, r);
      }
      return JsonObjects.render(fields, r);
    }
    List<String> logFields = new ArrayList<>();
    Matcher m = LOG_FIELD.matcher(line);
    while (m.find()) {
      logFields.add(m.group());
    }
    for (int i = 0; i < edits; i++) {
      LogLines.mutate(logFields, r);
    }
    return String.join(r.nextInt(20) == 0 ? "  " : " ", logFields);
  }

  /** The fields of a JSON object line as {key, raw JSON value}, or null if it is not one. */
  private static @Nullable List<String[]> jsonFields(String line) {
    if (!line.startsWith("{")) {
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (Exception e) {
      return null;
    }
    List<String[]> fields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      fields.add(new String[] {field.getKey(), field.getValue().toString()});
    }
    return fields;
  }

  /** Mutations of a JSON object kept as a list of {key, raw value}, so keys may repeat. */
  static final class JsonObjects {
    private JsonObjects() {}

    static void mutate(List<String[]> fields, Random r) {
      if (fields.isEmpty()) {
        fields.add(new String[] {Values.key(r), Values.jsonValue(r)});
        return;
      }
      int i = r.nextInt(fields.size());
      String[] field = fields.get(i);
      switch (r.nextInt(12)) {
        case 0 -> fields.remove(i);
        case 1 -> fields.add(r.nextInt(fields.size() + 1), field.clone());
        case 2 -> fields.add(new String[] {field[0], Values.jsonValue(r)});
        case 3 -> {
          String[] other = fields.get(r.nextInt(fields.size()));
          String value = field[1];
          field[1] = other[1];
          other[1] = value;
        }
        case 4, 5 -> field[1] = Values.jsonValue(r);
        case 6 -> field[1] = Values.wrongType(field[1], r);
        case 7, 8 -> field[1] = Values.plausible(field[0], field[1], r);
        case 9 ->
            fields.add(
                r.nextInt(fields.size() + 1), new String[] {Values.key(r), Values.jsonValue(r)});
        case 10 -> field[0] = Values.renamed(field[0], r);
        default -> Collections.shuffle(fields, r);
      }
    }

    static String render(List<String[]> fields, Random r) {
      boolean spaced = r.nextBoolean();
      StringBuilder out = new StringBuilder("{");
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          out.append(spaced ? ", " : ",");
        }
        out.append(Values.jsonString(fields.get(i)[0])).append(spaced ? ": " : ":");
        out.append(fields.get(i)[1]);
      }
      return out.append('}').toString();
    }
  }

  /** Mutations of a Common/Combined log line kept as a list of its fields. */
  static final class LogLines {
    private static final String[] ODD_FIELDS = {
      "-",
      "0",
      "-1",
      "99",
      "100",
      "599",
      "600",
      "200",
      "3600000000",
      "3600000001",
      "999999999999999999",
      "9999999999999999999",
      "-9223372036854775808",
      "1e3",
      "0x10",
      "[10/Oct/2026:13:55:36 -0700]",
      "[31/Feb/2026:13:55:36 -0700]",
      "[29/Feb/2028:00:00:00 +0000]",
      "[10/Oct/+999999999:13:55:36 -0700]",
      "[10/Oct/0000:00:00:00 +0000]",
      "[01/Jan/0001:00:00:00 +0100]",
      "[01/Jan/0001:00:00:00 -0100]",
      "[31/Dec/9999:23:59:59 -1800]",
      "[31/Dec/9999:23:59:59 +0000]",
      "[10/oct/2026:13:55:36 -0700]",
      "[10/Oct/2026:25:00:00 +0000]",
      "[10/Oct/2026:13:55:36]",
      "[]",
      "[",
      "]",
      "\"GET / HTTP/1.1\"",
      "\"GET /api/x\"",
      "\"\"",
      "\"GET\"",
      "\"get /x HTTP/1.1\"",
      "\"GET x HTTP/1.1\"",
      "\"GET /a b c\"",
      "\"GET  /a\"",
      "\"\\\"\"",
      "\"-\"",
      "\"Mozilla/5.0\"",
      "\"\\\\\"",
      "\"a\\",
      "\"\uD800\"",
      "\"/\u0000\"",
      "\"GET /\uD83D\uDE00 HTTP/1.1\"",
      "{",
      "{\"ts\":1}",
      "\uFFFD",
      "\uDC00",
      "127.0.0.1",
      "::1"
    };

    private LogLines() {}

    static void mutate(List<String> fields, Random r) {
      if (fields.isEmpty()) {
        fields.add(odd(r));
        return;
      }
      int i = r.nextInt(fields.size());
      switch (r.nextInt(8)) {
        case 0 -> fields.remove(i);
        case 1 -> fields.add(r.nextInt(fields.size() + 1), fields.get(i));
        case 2 -> Collections.swap(fields, i, r.nextInt(fields.size()));
        case 3, 4 -> fields.set(i, odd(r));
        case 5, 6 -> fields.set(i, plausible(fields.get(i), r));
        default -> fields.add(r.nextInt(fields.size() + 1), odd(r));
      }
    }

    private static String odd(Random r) {
      if (r.nextInt(10) == 0) {
        return "\"" + Values.randomText(r, 40).replace("\"", "") + "\"";
      }
      return ODD_FIELDS[r.nextInt(ODD_FIELDS.length)];
    }

    /** A field of the same shape with another valid-looking value. */
    private static String plausible(String field, Random r) {
      if (field.startsWith("[")) {
        String month = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ")[r.nextInt(12)];
        return String.format(
            Locale.ROOT,
            "[%02d/%s/%04d:%02d:%02d:%02d %s%02d%02d]",
            1 + r.nextInt(28),
            month,
            1 + r.nextInt(9999),
            r.nextInt(24),
            r.nextInt(60),
            r.nextInt(60),
            r.nextBoolean() ? "+" : "-",
            r.nextInt(15),
            r.nextInt(2) * 30);
      }
      if (field.startsWith("\"")) {
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "M-SEARCH"};
        return "\""
            + methods[r.nextInt(methods.length)]
            + " /"
            + Values.word(r)
            + (r.nextBoolean() ? "/" + r.nextInt(1000) : "?q=" + Values.word(r))
            + (r.nextBoolean() ? " HTTP/1.1" : "")
            + "\"";
      }
      if (field.matches("[0-9]+")) {
        return Integer.toString(r.nextInt(r.nextBoolean() ? 600 : 1_000_000));
      }
      return r.nextInt(1 + r.nextInt(255)) + "." + r.nextInt(256) + ".0." + r.nextInt(256);
    }
  }

  /** Mutations of any text: cuts, insertions, deletions, repeats, unicode oddities. */
  static final class Text {
    private static final String[] SNIPPETS = {
      "\"",
      "\\",
      "\\u",
      "\\ud800",
      "\\udfff",
      "\\ud83d\\ude00",
      "\\u0000",
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      "\u0000",
      "\uFFFD",
      "\uFEFF",
      "\uD800",
      "\uDFFF",
      "\uD83D\uDE00",
      "\n",
      "\r\n",
      "\t",
      "\u00A0",
      "\u2028",
      "\u202E",
      "null",
      "NaN",
      "-Infinity",
      "1e999",
      "9".repeat(30),
      ",\"ts\":1",
      ",\"ts\":\"+999999999-12-31T23:59:59Z\"",
      "}{",
      "]]]]",
      "/*",
      "//",
      "'"
    };

    private Text() {}

    static String mutate(String s, Random r) {
      int n = s.length();
      int at = n == 0 ? 0 : r.nextInt(n + 1);
      switch (r.nextInt(10)) {
        case 0:
          return s.substring(0, at);
        case 1:
          return s.substring(at);
        case 2:
          return s.substring(0, at) + Values.randomText(r, 5) + s.substring(at);
        case 3:
          {
            int end = Math.min(n, at + 1 + r.nextInt(10));
            return s.substring(0, at) + s.substring(end);
          }
        case 4:
          {
            if (n == 0) {
              return String.valueOf(Values.randomChar(r));
            }
            int i = r.nextInt(n);
            return s.substring(0, i) + Values.randomChar(r) + s.substring(i + 1);
          }
        case 5:
          {
            int end = Math.min(n, at + 1 + r.nextInt(40));
            int to = r.nextInt(n + 1);
            return s.substring(0, to) + s.substring(at, end) + s.substring(to);
          }
        case 6:
        case 7:
          return s.substring(0, at) + SNIPPETS[r.nextInt(SNIPPETS.length)] + s.substring(at);
        case 8:
          {
            String[] blanks = {" ", "\t", "\n", "\u00A0", "\u2028", "\uFEFF", "\u0000"};
            String blank = blanks[r.nextInt(blanks.length)];
            return r.nextBoolean() ? blank + s : s + blank;
          }
        default:
          {
            if (n == 0) {
              return s;
            }
            int i = r.nextInt(n);
            int j = r.nextInt(n);
            char[] chars = s.toCharArray();
            char c = chars[i];
            chars[i] = chars[j];
            chars[j] = c;
            return new String(chars);
          }
      }
    }
  }

  /** Values to put in fields: extreme, malformed, of the wrong type, or plausible. */
  static final class Values {
    private static final String[] TIMESTAMPS = {
      "2026-01-01T00:00:00Z",
      "2026-01-01T00:00:00.123456789Z",
      "2026-01-01T00:00:00+18:00",
      "2026-01-01T00:00:00-18:00",
      "2026-01-01T00:00:00+19:00",
      "2026-01-01T00:00:00+05:30:45",
      "+999999999-12-31T23:59:59Z",
      "-999999999-01-01T00:00:00Z",
      "+1000000000-01-01T00:00:00Z",
      "0000-01-01T00:00:00Z",
      "0001-01-01T00:00:00Z",
      "0001-01-01T00:00:00+00:01",
      "9999-12-31T23:59:59.999Z",
      "9999-12-31T23:59:59.999-00:01",
      "+10000-01-01T00:00:00Z",
      "2026-02-30T00:00:00Z",
      "2026-01-01T24:00:00Z",
      "2026-01-01T23:59:60Z",
      "2026-01-01",
      "2026-01-01T00:00:00",
      "2026-01-01T00:00:00z",
      "2026-01-01 00:00:00Z",
      "T",
      "Z",
      "",
      "2026-01-01T00:00:00Z[Europe/Paris]",
      "2026-W01-1T00:00:00Z",
      "1970-01-01T00:00:00Z"
    };
    private static final String[] NUMBERS = {
      "0",
      "-0",
      "1",
      "-1",
      "0.0",
      "-0.0",
      "1.5",
      "42.50",
      "0.001",
      "0.01",
      "1e2",
      "1E+2",
      "1e-2",
      "1e308",
      "1e309",
      "-1e309",
      "1e-400",
      "4.9e-324",
      "9223372036854775807",
      "9223372036854775808",
      "-9223372036854775808",
      "-9223372036854775809",
      "253402300799999",
      "253402300800000",
      "-62135596800000",
      "-62135596800001",
      "-9223372036854775",
      "1000000000000",
      "1000000000000.01",
      "999999999999.99",
      "1e12",
      "1.0e12",
      "1e999999999",
      "1e-999999999",
      "1e2147483648",
      "123456789012345678901234567890",
      "3600000",
      "3600000.001",
      "599",
      "600",
      "99",
      "100",
      "2147483647",
      "2147483648",
      "NaN",
      "Infinity",
      "-Infinity",
      "+1",
      "01",
      ".5",
      "5.",
      "0x10",
      "1_000",
      "1.0",
      "100.00",
      "100.000"
    };
    private static final String[] STRINGS = {
      "",
      " ",
      "\t",
      "a",
      "txn",
      "account",
      "TXN",
      "open",
      "deposit",
      "withdraw",
      "transfer",
      "TRANSFER",
      "Deposit",
      "opened",
      "deposited",
      "withdrawn",
      "transferred_out",
      "transferred_in",
      "\u0131nterest",
      "depos\u0131t",
      "EUR",
      "eur",
      "EU",
      "EURO",
      "\u00C9UR",
      "FR",
      "Paris",
      "acc-1",
      "acc-2",
      "dev-007",
      "temperature",
      "\u0000",
      "\uFFFD",
      "\uD83D\uDE00",
      "\u202E",
      "\u200B",
      "\uFEFF",
      "\\",
      "\"",
      "/",
      "/api/x?q=1#f",
      "GET",
      "127.0.0.1"
    };
    private static final String[] OTHERS = {
      "null",
      "true",
      "false",
      "[]",
      "{}",
      "[1,\"a\",null]",
      "{\"a\":{\"b\":[]}}",
      "{\"ts\":1}",
      "\"\\ud800\"",
      "\"\\udc00x\"",
      "\"a\\ud800\"",
      "\"\\ud83d\\ude00\"",
      "\"\\ud83d\"",
      "\"\\u0000\"",
      "\"\\uFFFD\"",
      "\"\\\"\"",
      "\"\\\\\"",
      "\"\\n\"",
      "\"\\/\"",
      "'a'",
      "a",
      "\"\uD800\"",
      "\"\uDFFF\""
    };

    private Values() {}

    /** Any JSON value: a timestamp, a number, a string, a structure, a broken token. */
    static String jsonValue(Random r) {
      switch (r.nextInt(9)) {
        case 0:
        case 1:
          return jsonString(TIMESTAMPS[r.nextInt(TIMESTAMPS.length)]);
        case 2:
        case 3:
          return NUMBERS[r.nextInt(NUMBERS.length)];
        case 4:
          return jsonString(STRINGS[r.nextInt(STRINGS.length)]);
        case 5:
          return OTHERS[r.nextInt(OTHERS.length)];
        case 6:
          return jsonString(randomText(r, r.nextInt(10) == 0 ? 5000 : 30));
        case 7:
          {
            int depth = 1 + r.nextInt(r.nextInt(10) == 0 ? 3000 : 10);
            return "[".repeat(depth) + "]".repeat(depth);
          }
        default:
          return r.nextBoolean()
              ? "1" + "0".repeat(r.nextInt(r.nextInt(10) == 0 ? 1500 : 30))
              : "\"" + "x".repeat(r.nextInt(r.nextInt(10) == 0 ? 30000 : 200)) + "\"";
      }
    }

    /** The same content as another JSON type: a number as a string, a string unquoted, ... */
    static String wrongType(String raw, Random r) {
      switch (r.nextInt(5)) {
        case 0:
          return raw.startsWith("\"")
              ? raw.substring(1, Math.max(1, raw.length() - 1))
              : jsonString(raw);
        case 1:
          return "[" + raw + "]";
        case 2:
          return "{\"value\":" + raw + "}";
        case 3:
          return "null";
        default:
          return raw.startsWith("\"") ? "42" : "\"x\"";
      }
    }

    /** Another valid-looking value of the same field, so that many mutants still parse. */
    static String plausible(String key, String raw, Random r) {
      if (key.equals("ts")) {
        long millis = (long) (r.nextDouble() * 4_000_000_000_000L) - 1_000_000_000_000L;
        if (r.nextBoolean()) {
          return Long.toString(millis);
        }
        int offsetHours = r.nextInt(37) - 18;
        return jsonString(
            java.time.Instant.ofEpochMilli(millis)
                .atOffset(java.time.ZoneOffset.ofHours(offsetHours))
                .toString());
      }
      if (key.equals("currency")) {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 3; i++) {
          code.append((char) ('A' + r.nextInt(26)));
        }
        return jsonString(code.toString());
      }
      if (key.equals("status")) {
        return Integer.toString(100 + r.nextInt(500));
      }
      if (key.equals("type")) {
        return r.nextBoolean() ? raw : raw.toUpperCase(Locale.ROOT);
      }
      if (raw.startsWith("\"")) {
        return jsonString(word(r));
      }
      if (raw.contains(".")) {
        return r.nextInt(10_000) + "." + String.format(Locale.ROOT, "%02d", r.nextInt(100));
      }
      if (raw.matches("-?[0-9]+")) {
        return Integer.toString(r.nextInt(1_000_000));
      }
      return raw;
    }

    static String key(Random r) {
      String[] keys = {"ts", "type", "text", "value", "device", "x", "", "TS", "ts ", "\u0000"};
      return r.nextInt(4) == 0 ? word(r) : keys[r.nextInt(keys.length)];
    }

    static String renamed(String key, Random r) {
      switch (r.nextInt(4)) {
        case 0:
          return key.toUpperCase(Locale.ROOT);
        case 1:
          return key + " ";
        case 2:
          return key.isEmpty() ? "x" : key.substring(1);
        default:
          return word(r);
      }
    }

    /** A valid, printable word: ASCII letters and digits, now and then non-ASCII letters. */
    static String word(Random r) {
      String[] alphabets = {
        "abcdefghijklmnopqrstuvwxyz0123456789-_", "\u00FC\u00E9\u00DF\u65E5\u672C\u0416"
      };
      StringBuilder out = new StringBuilder();
      int length = 1 + r.nextInt(r.nextInt(20) == 0 ? 200 : 12);
      for (int i = 0; i < length; i++) {
        String alphabet = alphabets[r.nextInt(10) == 0 ? 1 : 0];
        out.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      if (r.nextInt(20) == 0) {
        out.appendCodePoint(0x1F600 + r.nextInt(50));
      }
      return out.toString();
    }

    /** A JSON string literal of {@code s}, escaping only what JSON requires. */
    static String jsonString(String s) {
      StringBuilder out = new StringBuilder("\"");
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20) {
          out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
      return out.append('"').toString();
    }

    static String randomText(Random r, int maxLength) {
      int length = r.nextInt(maxLength + 1);
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        if (r.nextInt(30) == 0) {
          out.appendCodePoint(0x10000 + r.nextInt(0x100000));
        } else {
          out.append(randomChar(r));
        }
      }
      return out.toString();
    }

    /** Printable ASCII, JSON's own characters, controls, lone surrogates, any BMP character. */
    static char randomChar(Random r) {
      switch (r.nextInt(8)) {
        case 0:
        case 1:
          return (char) (0x20 + r.nextInt(0x5f));
        case 2:
          {
            String json = "{}[]\":,\\ -.0123456789eE+tnfrul";
            return json.charAt(r.nextInt(json.length()));
          }
        case 3:
          return (char) r.nextInt(0x20);
        case 4:
          return (char) (0xD800 + r.nextInt(0x800));
        case 5:
          return (char) r.nextInt(0x10000);
        case 6:
          {
            String odd = "\uFFFD\u00A0\u2028\u2029\uFEFF\u202E\u200B\u0085\u007F";
            return odd.charAt(r.nextInt(odd.length()));
          }
        default:
          {
            String plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            return plain.charAt(r.nextInt(plain.length()));
          }
      }
    }
  }
}
