package dev.sluice.pipelines.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.math.BigDecimal;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads the fields of one JSON input record and refuses it with the exact reason (an {@link
 * InvalidRecordException} of a kind), for a job's parser ({@code RiskRecord}, {@code
 * LedgerCommand}). Every refusal after the timestamp ({@link EventTimes#ofField}) has been read
 * carries it, so a dead letter keeps its event time.
 */
public final class JsonFields {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** The largest amount accepted, so that any amount in cents fits a long with room to spare. */
  public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

  private JsonFields() {}

  /**
   * The JSON object of {@code line}; kinds {@code not-json} (also for a number no BigDecimal
   * holds), {@code not-object}.
   */
  public static JsonNode object(String line) throws InvalidRecordException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException("not-json", "not JSON: " + e.getOriginalMessage());
    } catch (NumberFormatException e) {
      // Jackson reads a decimal (USE_BIG_DECIMAL_FOR_FLOATS) past the parse and does not wrap
      // this: an exponent beyond an int, 1e-9999999999, has no BigDecimal.
      throw new InvalidRecordException("not-json", "not JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException("not-object", "not a JSON object");
    }
    return node;
  }

  /**
   * A required, non-empty string; kinds {@code missing-field}, {@code wrong-type}, {@code
   * empty-field}, {@code bad-unicode}.
   */
  public static String string(JsonNode record, String field, long ts)
      throws InvalidRecordException {
    String value = optionalString(record, field, ts);
    if (value == null) {
      throw new InvalidRecordException("missing-field", "missing field '" + field + "'", ts);
    }
    return value;
  }

  /**
   * An optional string: null when absent or JSON null, else non-empty Unicode text; kinds {@code
   * wrong-type}, {@code empty-field}, {@code bad-unicode} ({@link UnicodeText}).
   */
  public static @Nullable String optionalString(JsonNode record, String field, long ts)
      throws InvalidRecordException {
    JsonNode value = record.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidRecordException(
          "wrong-type", "field '" + field + "' must be a string, was " + value.getNodeType(), ts);
    }
    if (value.textValue().isBlank()) {
      throw new InvalidRecordException("empty-field", "field '" + field + "' is empty", ts);
    }
    return UnicodeText.check(field, value.textValue(), ts);
  }

  /**
   * A required whole number of at least {@code min}; kinds {@code missing-field}, {@code
   * wrong-type}, {@code out-of-range}.
   */
  public static long wholeNumber(JsonNode record, String field, long ts, long min)
      throws InvalidRecordException {
    JsonNode value = record.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidRecordException("missing-field", "missing field '" + field + "'", ts);
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new InvalidRecordException(
          "wrong-type", "field '" + field + "' must be a whole number, was " + value, ts);
    }
    if (value.longValue() < min) {
      throw new InvalidRecordException(
          "out-of-range", "field '" + field + "' must be at least " + min + ", was " + value, ts);
    }
    return value.longValue();
  }

  /**
   * A required amount of money in whole cents: a JSON number more than 0 and at most {@link
   * #MAX_AMOUNT}, with at most two decimals; kinds {@code missing-field}, {@code wrong-type},
   * {@code out-of-range}, {@code bad-amount}.
   */
  public static long cents(JsonNode record, String field, long ts) throws InvalidRecordException {
    JsonNode value = record.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidRecordException("missing-field", "missing field '" + field + "'", ts);
    }
    if (!value.isNumber()) {
      throw new InvalidRecordException(
          "wrong-type",
          "field '" + field + "' must be a number, was " + value.getNodeType() + " " + value,
          ts);
    }
    // Jackson reads a number beyond a double's range (1e309) as an infinite double, whatever
    // USE_BIG_DECIMAL_FOR_FLOATS says, and an infinite double has no decimal value.
    if (value.isFloatingPointNumber()
        && !value.isBigDecimal()
        && !Double.isFinite(value.doubleValue())) {
      throw new InvalidRecordException(
          "out-of-range",
          "field '"
              + field
              + "' must be more than 0 and at most "
              + MAX_AMOUNT.toPlainString()
              + ", was a number beyond the range of a double",
          ts);
    }
    BigDecimal amount = value.decimalValue();
    if (amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0) {
      throw new InvalidRecordException(
          "out-of-range",
          "field '"
              + field
              + "' must be more than 0 and at most "
              + MAX_AMOUNT.toPlainString()
              + ", was "
              + readable(amount),
          ts);
    }
    if (amount.stripTrailingZeros().scale() > 2) {
      throw new InvalidRecordException(
          "bad-amount",
          "field '" + field + "' has more than 2 decimals (whole cents): " + readable(amount),
          ts);
    }
    return amount.movePointRight(2).longValueExact();
  }

  /**
   * An amount as written ({@code 0.001}), or in scientific notation when its exponent is extreme:
   * the plain text of {@code 1e-999999999} is a billion characters, seconds to build.
   */
  private static String readable(BigDecimal amount) {
    return Math.abs((long) amount.scale()) <= 40 ? amount.toPlainString() : amount.toString();
  }
}
