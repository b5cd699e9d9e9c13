package dev.sluice.transforms.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** A record that could not be used: the raw record, where it came from, and why it was refused. */
@DefaultCoder(DeadLetter.Coder.class)
public final class DeadLetter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RawRecord record;
  private final String reason;

  private DeadLetter(RawRecord record, String reason) {
    this.record = Objects.requireNonNull(record, "record");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public static DeadLetter of(RawRecord record, String reason) {
    return new DeadLetter(record, reason);
  }

  public RawRecord record() {
    return record;
  }

  public String reason() {
    return reason;
  }

  /** One JSON line: {@code {"position":…,"reason":…,"raw":…}}. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("position", record.position());
    node.put("reason", reason);
    node.put("raw", record.payload());
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot format a dead letter as JSON", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter
        && record.equals(((DeadLetter) o).record)
        && reason.equals(((DeadLetter) o).reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(record, reason);
  }

  @Override
  public String toString() {
    return record.position() + ": " + reason;
  }

  /** A deterministic coder: the raw record, then the reason. */
  public static final class Coder extends AtomicCoder<DeadLetter> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(DeadLetter value, OutputStream out) throws IOException {
      RawRecord.Coder.of().encode(value.record, out);
      StringUtf8Coder.of().encode(value.reason, out);
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      return new DeadLetter(RawRecord.Coder.of().decode(in), StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
