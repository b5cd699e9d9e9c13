package dev.sluice.pipelines.iot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.pipelines.io.EventTimes;
import dev.sluice.pipelines.io.UnicodeText;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
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
 * One reading of one sensor of a device, at the event time it was measured.
 *
 * <p>Input format, one JSON object per line: {@code {"ts": "2026-01-01T00:00:07.250Z", "device":
 * "dev-007", "sensor": "temperature", "value": 21.37}} where {@code ts} is an ISO-8601 date-time
 * with a zone offset (or {@code Z}) or a whole number of epoch milliseconds; {@code device} a
 * non-blank string of at most {@value #MAX_DEVICE_LENGTH} characters (the series a reading belongs
 * to); {@code sensor} an optional string (metadata: validated, carried, not a key); {@code value} a
 * finite JSON number with {@code |value| <= 1e12}. Other fields are ignored.
 *
 * <p>A refusal names its kind: {@code not-json}, {@code not-object}, {@code missing-field}, {@code
 * wrong-type}, {@code bad-timestamp}, {@code bad-device}, {@code not-finite} ({@code NaN}, {@code
 * Infinity}, or a number too large for a double such as {@code 1e999}), {@code out-of-range} and
 * {@code bad-unicode} (a string with an unpaired surrogate such as <code>"&#92;ud800"</code>). Once
 * the timestamp is read, a refusal carries it as the dead letter's event time.
 */
@DefaultCoder(SensorReading.Coder.class)
public final class SensorReading implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The largest magnitude a reading may have; beyond it a value is a unit or encoding error. */
  public static final double MAX_ABS_VALUE = 1e12;

  /** The longest device id accepted. */
  public static final int MAX_DEVICE_LENGTH = 128;

  // NaN and Infinity are read (not refused as "not JSON") so that they get their own, exact kind.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final long timestampMillis;
  private final String device;
  private final @Nullable String sensor;
  private final double value;

  public SensorReading(long timestampMillis, String device, @Nullable String sensor, double value) {
    this.timestampMillis = timestampMillis;
    this.device = Objects.requireNonNull(device, "device");
    this.sensor = sensor;
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("a reading's value must be finite, was " + value);
    }
    this.value = value + 0.0; // -0.0 becomes 0.0: one zero, one encoding, one output
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  public String device() {
    return device;
  }

  /** The sensor's name, or null when the reading did not say. */
  public @Nullable String sensor() {
    return sensor;
  }

  public double value() {
    return value;
  }

  /** Parses one input line, or says exactly what is wrong with it (see the class comment). */
  public static SensorReading parse(String line) throws InvalidRecordException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException("not-json", "not JSON: " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode()) {
      throw new InvalidRecordException("not-json", "not JSON: empty record");
    }
    if (!node.isObject()) {
      throw new InvalidRecordException("not-object", "not a JSON object but " + typeOf(node));
    }
    long ts = EventTimes.ofField(node, "ts");

    JsonNode device = required(node, "device", ts);
    if (!device.isTextual()) {
      throw new InvalidRecordException(
          "wrong-type", "field 'device' must be a string, was " + typeOf(device), ts);
    }
    String id = UnicodeText.check("device", device.textValue(), ts);
    if (id.isBlank()) {
      throw new InvalidRecordException("bad-device", "field 'device' is empty or blank", ts);
    }
    if (id.length() > MAX_DEVICE_LENGTH) {
      throw new InvalidRecordException(
          "bad-device",
          "field 'device' is "
              + id.length()
              + " characters long, at most "
              + MAX_DEVICE_LENGTH
              + " allowed",
          ts);
    }

    JsonNode sensor = node.get("sensor");
    String sensorName = null;
    if (sensor != null && !sensor.isNull()) {
      if (!sensor.isTextual()) {
        throw new InvalidRecordException(
            "wrong-type", "field 'sensor' must be a string if present, was " + typeOf(sensor), ts);
      }
      sensorName = UnicodeText.check("sensor", sensor.textValue(), ts);
    }

    JsonNode value = required(node, "value", ts);
    if (!value.isNumber()) {
      throw new InvalidRecordException(
          "wrong-type", "field 'value' must be a number, was " + typeOf(value), ts);
    }
    double v = value.doubleValue();
    if (!Double.isFinite(v)) {
      throw new InvalidRecordException(
          "not-finite",
          "field 'value' must be a finite number, was "
              + (Double.isNaN(v) ? "NaN" : v + " (or a number beyond the range of a double)"),
          ts);
    }
    if (Math.abs(v) > MAX_ABS_VALUE) {
      throw new InvalidRecordException(
          "out-of-range", "field 'value' is " + v + ", outside [-1e12, 1e12]", ts);
    }
    return new SensorReading(ts, id, sensorName, v);
  }

  private static JsonNode required(JsonNode node, String field, long ts)
      throws InvalidRecordException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidRecordException("missing-field", "missing field '" + field + "'", ts);
    }
    return value;
  }

  private static String typeOf(JsonNode node) {
    String type = node.getNodeType().toString().toLowerCase(Locale.ROOT);
    String text = node.toString();
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type + " " + text;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SensorReading)) {
      return false;
    }
    SensorReading r = (SensorReading) o;
    return timestampMillis == r.timestampMillis
        && device.equals(r.device)
        && Objects.equals(sensor, r.sensor)
        && Double.compare(value, r.value) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestampMillis, device, sensor, value);
  }

  @Override
  public String toString() {
    return timestamp() + " " + device + (sensor == null ? "" : "/" + sensor) + "=" + value;
  }

  /**
   * Deterministic coder: the timestamp, the device, the sensor (or null), the value's IEEE bits
   * (one bit pattern per value: no NaN, and -0.0 is stored as 0.0).
   */
  public static final class Coder extends AtomicCoder<SensorReading> {
    private static final Coder INSTANCE = new Coder();
    private static final NullableCoder<String> SENSOR = NullableCoder.of(StringUtf8Coder.of());

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(SensorReading.class), INSTANCE);
    }

    @Override
    public void encode(SensorReading r, OutputStream out) throws IOException {
      VarLongCoder.of().encode(r.timestampMillis, out);
      StringUtf8Coder.of().encode(r.device, out);
      SENSOR.encode(r.sensor, out);
      BigEndianLongCoder.of().encode(Double.doubleToLongBits(r.value), out);
    }

    @Override
    public SensorReading decode(InputStream in) throws IOException {
      long ts = VarLongCoder.of().decode(in);
      String device = StringUtf8Coder.of().decode(in);
      String sensor = SENSOR.decode(in);
      double value = Double.longBitsToDouble(BigEndianLongCoder.of().decode(in));
      return new SensorReading(ts, device, sensor, value);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
