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
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One record as a source delivered it, before parsing: its text, the source it came from (a file's
 * path, a Kafka topic) and its position in that source (a line number, {@code partition@offset}),
 * so a record that fails to parse can be found again.
 *
 * <p>A source that could not even turn the record's bytes into text (not UTF-8, over the size
 * limit) still delivers it, marked {@link #unreadable unreadable} with a kind and a reason: {@link
 * ParseOrDeadLetter} sends it to the dead letters without parsing it. Its payload is then a lossy
 * rendering for people (bad bytes as U+FFFD, or only the first bytes of an oversize record) and
 * {@link #rawBase64()} can keep the original bytes exactly.
 *
 * <p>A stream's source also delivers a record that arrived behind the watermark ({@link #late}):
 * counted in no window, it goes to the dead letters as kind {@value #LATE} with its event time and
 * the watermark it missed, instead of being dropped where a window has already closed.
 *
 * <pre>{@code
 * RawRecord line = RawRecord.of("/data/in.jsonl", "42", "{\"ts\": ...}");
 * RawRecord bad = RawRecord.unreadable("/data/in.jsonl", "43", "\uFFFD(", "not-utf8",
 *     "not UTF-8: bad byte at offset 0", Base64.getEncoder().encodeToString(bytes));
 * }</pre>
 */
@DefaultCoder(RawRecord.Coder.class)
public final class RawRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kind of a record that arrived behind the watermark ({@link #late}). */
  public static final String LATE = "late";

  private final String source;
  private final String position;
  private final String payload;
  private final @Nullable String unreadableKind;
  private final @Nullable String unreadableReason;
  private final @Nullable String rawBase64;
  private final @Nullable Long eventTimeMillis;

  private RawRecord(
      String source,
      String position,
      String payload,
      @Nullable String unreadableKind,
      @Nullable String unreadableReason,
      @Nullable String rawBase64,
      @Nullable Long eventTimeMillis) {
    this.source = Objects.requireNonNull(source, "source");
    this.position = Objects.requireNonNull(position, "position");
    this.payload = Objects.requireNonNull(payload, "payload");
    if ((unreadableKind == null) != (unreadableReason == null)) {
      throw new IllegalArgumentException(
          "an unreadable record needs both a kind and a reason, was kind '"
              + unreadableKind
              + "' and reason '"
              + unreadableReason
              + "'");
    }
    this.unreadableKind = unreadableKind == null ? null : DeadLetter.checkKind(unreadableKind);
    this.unreadableReason = unreadableReason;
    this.rawBase64 = rawBase64;
    this.eventTimeMillis = eventTimeMillis;
  }

  public static RawRecord of(String source, String position, String payload) {
    return new RawRecord(source, position, payload, null, null, null, null);
  }

  /**
   * A record the source could not read as text: {@code payload} is what can be shown of it, {@code
   * kind} and {@code reason} say why (as a dead letter will), {@code rawBase64} is the original
   * bytes in base64 or null when they were not kept.
   */
  public static RawRecord unreadable(
      String source,
      String position,
      String payload,
      String kind,
      String reason,
      @Nullable String rawBase64) {
    return new RawRecord(
        source,
        position,
        payload,
        Objects.requireNonNull(kind, "kind"),
        Objects.requireNonNull(reason, "reason"),
        rawBase64,
        null);
  }

  /**
   * A record read at {@code eventTime} when its source's watermark had already passed {@code
   * watermark} (minus the allowed lateness): kind {@value #LATE}, its text kept as read. The parser
   * never sees it; it goes to the dead letters with its event time.
   */
  public static RawRecord late(
      String source, String position, String payload, Instant eventTime, Instant watermark) {
    return new RawRecord(
        source,
        position,
        payload,
        LATE,
        String.format(
            "arrived behind the watermark: event time %s, watermark %s (%s behind); it is in no"
                + " window's results",
            eventTime,
            watermark,
            java.time.Duration.ofMillis(watermark.getMillis() - eventTime.getMillis())),
        null,
        eventTime.getMillis());
  }

  /**
   * Whether the source could not use this record (not text, or {@link #late}); it then goes to the
   * dead letters.
   */
  public boolean isUnreadable() {
    return unreadableKind != null;
  }

  /** Why the record is unreadable, as a dead-letter kind ({@code not-utf8}, ...); else null. */
  public @Nullable String unreadableKind() {
    return unreadableKind;
  }

  /** Why the record is unreadable, in words; else null. */
  public @Nullable String unreadableReason() {
    return unreadableReason;
  }

  /** The original bytes in base64, when the payload does not hold them exactly; else null. */
  public @Nullable String rawBase64() {
    return rawBase64;
  }

  /** The event time the source read, for a {@link #late} record; else null. */
  public @Nullable Long eventTimeMillis() {
    return eventTimeMillis;
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

  /** The record's text as read (for an unreadable record: what can be shown of it). */
  public String payload() {
    return payload;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecord
        && source.equals(((RawRecord) o).source)
        && position.equals(((RawRecord) o).position)
        && payload.equals(((RawRecord) o).payload)
        && Objects.equals(unreadableKind, ((RawRecord) o).unreadableKind)
        && Objects.equals(unreadableReason, ((RawRecord) o).unreadableReason)
        && Objects.equals(rawBase64, ((RawRecord) o).rawBase64)
        && Objects.equals(eventTimeMillis, ((RawRecord) o).eventTimeMillis);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        source, position, payload, unreadableKind, unreadableReason, rawBase64, eventTimeMillis);
  }

  @Override
  public String toString() {
    return locator() + ": " + payload;
  }

  /** A deterministic coder: the three strings, the three optional ones, the optional time. */
  public static final class Coder extends AtomicCoder<RawRecord> {
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final NullableCoder<String> OPTIONAL = NullableCoder.of(STRING);
    private static final NullableCoder<Long> TIME = NullableCoder.of(VarLongCoder.of());

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
      OPTIONAL.encode(value.unreadableKind, out);
      OPTIONAL.encode(value.unreadableReason, out);
      OPTIONAL.encode(value.rawBase64, out);
      TIME.encode(value.eventTimeMillis, out);
    }

    @Override
    public RawRecord decode(InputStream in) throws IOException {
      return new RawRecord(
          STRING.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          OPTIONAL.decode(in),
          OPTIONAL.decode(in),
          OPTIONAL.decode(in),
          TIME.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
