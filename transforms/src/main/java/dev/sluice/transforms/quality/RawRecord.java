package dev.sluice.transforms.quality;

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
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One record as a source delivered it, before parsing: its text, the source it came from (a file's
 * path, a Kafka topic) and its position in that source (a line number, {@code partition@offset}),
 * so a record that fails to parse can be found again.
 *
 * <pre>{@code
 * RawRecord line = RawRecord.of("/data/in.jsonl", "42", "{\"ts\": ...}");
 * }</pre>
 */
@DefaultCoder(RawRecord.Coder.class)
public final class RawRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String position;
  private final String payload;

  private RawRecord(String source, String position, String payload) {
    this.source = Objects.requireNonNull(source, "source");
    this.position = Objects.requireNonNull(position, "position");
    this.payload = Objects.requireNonNull(payload, "payload");
  }

  public static RawRecord of(String source, String position, String payload) {
    return new RawRecord(source, position, payload);
  }

  /** The source the record came from, e.g. {@code /data/in.jsonl} or a Kafka topic. */
  public String source() {
    return source;
  }

  /** Where in the source: a 1-based line number for files, {@code partition@offset} for Kafka. */
  public String position() {
    return position;
  }

  /** {@code source:position}, e.g. {@code /data/in.jsonl:42}. */
  public String locator() {
    return source + ":" + position;
  }

  /** The record's text as read. */
  public String payload() {
    return payload;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecord
        && source.equals(((RawRecord) o).source)
        && position.equals(((RawRecord) o).position)
        && payload.equals(((RawRecord) o).payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, position, payload);
  }

  @Override
  public String toString() {
    return locator() + ": " + payload;
  }

  /** A deterministic coder: the three strings, in order. */
  public static final class Coder extends AtomicCoder<RawRecord> {
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(RawRecord.class), INSTANCE);
    }

    @Override
    public void encode(RawRecord value, OutputStream out) throws IOException {
      STRING.encode(value.source, out);
      STRING.encode(value.position, out);
      STRING.encode(value.payload, out);
    }

    @Override
    public RawRecord decode(InputStream in) throws IOException {
      return new RawRecord(STRING.decode(in), STRING.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
