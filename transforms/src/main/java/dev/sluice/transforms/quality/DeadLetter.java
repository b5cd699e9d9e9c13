package dev.sluice.transforms.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A record that could not be used: the raw record with its source and position, the reason in
 * words, the reason's kind (a short stable name metrics count by), and the record's event time
 * when it was known.
 *
 * <pre>{@code
 * DeadLetter letter = DeadLetter.of(RawRecord.of("/in/a.jsonl", "7", "{oops"), "not-json", "not JSON");
 * String line = letter.toJson();
 * // {"source":"/in/a.jsonl","position":"7","kind":"not-json","reason":"not JSON","event_time":null,"raw":"{oops"}
 * }</pre>
 */
@DefaultCoder(DeadLetter.Coder.class)
public final class DeadLetter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  private final RawRecord record;
  private final String kind;
  private final String reason;
  private final @Nullable Long eventTimeMillis;

  private DeadLetter(RawRecord record, String kind, String reason, @Nullable Long eventTimeMillis) {
    this.record = Objects.requireNonNull(record, "record");
    this.kind = checkKind(kind);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.eventTimeMillis = eventTimeMillis;
  }

  public static DeadLetter of(RawRecord record, String kind, String reason) {
    return new DeadLetter(record, kind, reason, null);
  }

  /** The same dead letter, with the record's event time. */
  public DeadLetter withEventTime(@Nullable Long eventTimeMillis) {
    return new DeadLetter(record, kind, reason, eventTimeMillis);
  }

  static String checkKind(String kind) {
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException(
          "a dead-letter kind is 1 to 40 lower-case letters, digits and dashes starting with a"
              + " letter (e.g. not-json), was '"
              + kind
              + "'");
    }
    return kind;
  }

  public RawRecord record() {
    return record;
  }

  /** A short, stable name for the reason, e.g. {@code not-json}. */
  public String kind() {
    return kind;
  }

  public String reason() {
    return reason;
  }

  /** The record's event time when the parser could read it, else null. */
  public @Nullable Long eventTimeMillis() {
    return eventTimeMillis;
  }

  /**
   * One JSON line: {@code source}, {@code position}, {@code kind}, {@code reason}, {@code
   * event_time} (ISO-8601 UTC or null) and {@code raw}, the record exactly as read; for a record
   * the source could not read as text, {@code raw} is what can be shown of it and {@code
   * raw_base64}, when the source kept them, the original bytes.
   */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("source", record.source());
    node.put("position", record.position());
    node.put("kind", kind);
    node.put("reason", reason);
    if (eventTimeMillis == null) {
      node.putNull("event_time");
    } else {
      node.put("event_time", java.time.Instant.ofEpochMilli(eventTimeMillis).toString());
    }
    node.put("raw", record.payload());
    if (record.rawBase64() != null) {
      node.put("raw_base64", record.rawBase64());
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot format a dead letter as JSON", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter d = (DeadLetter) o;
    return record.equals(d.record)
        && kind.equals(d.kind)
        && reason.equals(d.reason)
        && Objects.equals(eventTimeMillis, d.eventTimeMillis);
  }

  @Override
  public int hashCode() {
    return Objects.hash(record, kind, reason, eventTimeMillis);
  }

  @Override
  public String toString() {
    return record.locator() + ": " + kind + ": " + reason;
  }

  /** A deterministic coder: the raw record, the kind, the reason, the optional event time. */
  public static final class Coder extends AtomicCoder<DeadLetter> {
    private static final Coder INSTANCE = new Coder();
    private static final NullableCoder<Long> EVENT_TIME = NullableCoder.of(VarLongCoder.of());

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(DeadLetter.class), INSTANCE);
    }

    @Override
    public void encode(DeadLetter value, OutputStream out) throws IOException {
      RawRecord.Coder.of().encode(value.record, out);
      StringUtf8Coder.of().encode(value.kind, out);
      StringUtf8Coder.of().encode(value.reason, out);
      EVENT_TIME.encode(value.eventTimeMillis, out);
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      return new DeadLetter(
          RawRecord.Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          EVENT_TIME.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
