package dev.sluice.pipelines.trending;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipelines.io.EventTimes;
import dev.sluice.pipelines.io.UnicodeText;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One click: a user clicked an item of a category at an event time.
 *
 * <p>Input format, one JSON object per line: {@code {"ts": "2026-01-01T10:15:30Z", "user":
 * "user-042", "item": "item-0007", "category": "books"}} where {@code ts} is an ISO-8601 date-time
 * with a zone offset (or {@code Z}) or a whole number of epoch milliseconds in the years 1 to 9999,
 * and {@code user}, {@code item} and {@code category} are non-blank strings of at most {@value
 * #MAX_ID_LENGTH} characters, taken as they are (case and spaces count). Other fields are ignored.
 */
@DefaultCoder(ClickEvent.Coder.class)
public final class ClickEvent implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The longest user, item or category id accepted. */
  public static final int MAX_ID_LENGTH = 128;

  private final long timestampMillis;
  private final String user;
  private final String item;
  private final String category;

  public ClickEvent(long timestampMillis, String user, String item, String category) {
    this.timestampMillis = timestampMillis;
    this.user = Objects.requireNonNull(user, "user");
    this.item = Objects.requireNonNull(item, "item");
    this.category = Objects.requireNonNull(category, "category");
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  public String user() {
    return user;
  }

  public String item() {
    return item;
  }

  public String category() {
    return category;
  }

  /**
   * The event time of an input line, or {@code null} if it has none that can be read (what a
   * generator reports for a line, and what a Kafka source would use).
   */
  public static @Nullable Long timestampOrNull(String line) {
    try {
      return parse(line).timestampMillis();
    } catch (InvalidRecordException e) {
      return e.eventTimeMillis();
    }
  }

  /**
   * Parses one input line, or says exactly what is wrong with it. Kinds: {@code not-json}, {@code
   * not-object}, {@code missing-field} (also for JSON {@code null}), {@code wrong-type} (an id that
   * is not a string), {@code bad-timestamp} (neither ISO-8601 with offset nor whole epoch millis,
   * or outside the years 1 to 9999: {@link EventTimes}), {@code empty-value} (a blank id), {@code
   * too-long} (an id longer than {@value #MAX_ID_LENGTH} characters), {@code bad-unicode} (an
   * unpaired surrogate such as <code>"&#92;ud800"</code>). The timestamp is read first; once read,
   * every refusal carries it as the dead letter's event time.
   */
  public static ClickEvent parse(String line) throws InvalidRecordException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException("not-json", "not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException(
          "not-object", "not a JSON object: " + (node == null ? "empty line" : node.getNodeType()));
    }
    long timestamp = EventTimes.ofField(node, "ts");
    String user = id(node, "user", timestamp);
    String item = id(node, "item", timestamp);
    String category = id(node, "category", timestamp);
    return new ClickEvent(timestamp, user, item, category);
  }

  private static String id(JsonNode node, String field, long timestamp)
      throws InvalidRecordException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidRecordException("missing-field", "missing field '" + field + "'", timestamp);
    }
    if (!value.isTextual()) {
      throw new InvalidRecordException(
          "wrong-type",
          "field '" + field + "' must be a string, was " + value.getNodeType() + " " + value,
          timestamp);
    }
    String text = value.textValue();
    if (text.isBlank()) {
      throw new InvalidRecordException(
          "empty-value", "field '" + field + "' is blank: \"" + text + "\"", timestamp);
    }
    if (text.length() > MAX_ID_LENGTH) {
      throw new InvalidRecordException(
          "too-long",
          "field '"
              + field
              + "' has "
              + text.length()
              + " characters, at most "
              + MAX_ID_LENGTH
              + " allowed",
          timestamp);
    }
    return UnicodeText.check(field, text, timestamp);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ClickEvent)) {
      return false;
    }
    ClickEvent other = (ClickEvent) o;
    return timestampMillis == other.timestampMillis
        && user.equals(other.user)
        && item.equals(other.item)
        && category.equals(other.category);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestampMillis, user, item, category);
  }

  @Override
  public String toString() {
    return timestamp() + " " + user + " " + category + "/" + item;
  }

  /** Deterministic coder: the timestamp, then user, item and category. */
  public static final class Coder extends AtomicCoder<ClickEvent> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(ClickEvent.class), INSTANCE);
    }

    @Override
    public void encode(ClickEvent value, OutputStream out) throws IOException {
      VarLongCoder.of().encode(value.timestampMillis, out);
      StringUtf8Coder.of().encode(value.user, out);
      StringUtf8Coder.of().encode(value.item, out);
      StringUtf8Coder.of().encode(value.category, out);
    }

    @Override
    public ClickEvent decode(InputStream in) throws IOException {
      return new ClickEvent(
          VarLongCoder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
