package dev.sluice.pipelines.wordcount;

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
 * One input line of the word count: a text and the event time it happened at.
 *
 * <p>Input format, one JSON object per line: {@code {"ts": "2026-11-21T10:15:30Z", "text": "..."}}
 * where {@code ts} is an ISO-8601 date-time with a zone offset (or {@code Z}) or a whole number of
 * epoch milliseconds, and {@code text} is a string. Other fields are ignored.
 */
@DefaultCoder(TextEvent.Coder.class)
public final class TextEvent implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long timestampMillis;
  private final String text;

  public TextEvent(long timestampMillis, String text) {
    this.timestampMillis = timestampMillis;
    this.text = Objects.requireNonNull(text, "text");
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  public String text() {
    return text;
  }

  /**
   * The event time of an input line, or {@code null} if it has none that can be read: what a Kafka
   * source uses for its watermark before the line is parsed for real.
   */
  public static @Nullable Instant timestampOrNull(String line) {
    try {
      return parse(line).timestamp();
    } catch (InvalidRecordException e) {
      return e.eventTimeMillis() == null ? null : new Instant(e.eventTimeMillis().longValue());
    }
  }

  /**
   * Parses one input line, or says exactly what is wrong with it (kinds {@code not-json}, {@code
   * not-object}, {@code missing-field}, {@code wrong-type}, {@code bad-timestamp}, {@code
   * bad-unicode} (an unpaired surrogate such as <code>"&#92;ud800"</code>)); once the timestamp has
   * been read, a refusal carries it as the dead letter's event time.
   */
  public static TextEvent parse(String line) throws InvalidRecordException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException("not-json", "not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException("not-object", "not a JSON object");
    }
    long timestamp = EventTimes.ofField(node, "ts");
    JsonNode text = node.get("text");
    if (text == null || text.isNull()) {
      throw new InvalidRecordException("missing-field", "missing field 'text'", timestamp);
    }
    if (!text.isTextual()) {
      throw new InvalidRecordException("wrong-type", "field 'text' is not a string", timestamp);
    }
    return new TextEvent(timestamp, UnicodeText.check("text", text.textValue(), timestamp));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextEvent
        && timestampMillis == ((TextEvent) o).timestampMillis
        && text.equals(((TextEvent) o).text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestampMillis, text);
  }

  @Override
  public String toString() {
    return timestamp() + " " + text;
  }

  /** Deterministic coder: the timestamp, then the text. */
  public static final class Coder extends AtomicCoder<TextEvent> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(TextEvent.class), INSTANCE);
    }

    @Override
    public void encode(TextEvent value, OutputStream out) throws IOException {
      VarLongCoder.of().encode(value.timestampMillis, out);
      StringUtf8Coder.of().encode(value.text, out);
    }

    @Override
    public TextEvent decode(InputStream in) throws IOException {
      return new TextEvent(VarLongCoder.of().decode(in), StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
