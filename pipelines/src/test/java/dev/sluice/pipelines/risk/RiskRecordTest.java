package dev.sluice.pipelines.risk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RiskRecordTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final String TXN =
      "{\"type\":\"txn\",\"ts\":\"1970-01-01T00:00:01Z\",\"txn_id\":\"t1\",\"card\":\"c1\","
          + "\"account\":\"a1\",\"amount\":42.5,\"currency\":\"EUR\",\"country\":\"FR\"}";
  private static final String PROFILE =
      "{\"type\":\"account\",\"ts\":1,\"account\":\"a1\",\"usual_amount\":1,"
          + "\"home_country\":\"FR\"}";

  @Test
  void readsATransactionWithItsAmountInCents() throws Exception {
    RiskRecord r = RiskRecord.parse(TXN);
    assertThat(
        r,
        equalTo(RiskRecord.of(new Transaction(1_000, "t1", "c1", "a1", 4_250, "EUR", "FR", null))));
    assertThat(r.transaction().place(), equalTo("FR"));
    assertThat(r.account(), equalTo("a1"));
  }

  @Test
  void aTransactionNeedsNoCurrencyAndMayNameACityInsteadOfACountry() throws Exception {
    RiskRecord r =
        RiskRecord.parse(
            "{\"type\":\"txn\",\"ts\":2000,\"txn_id\":\"t2\",\"card\":\"c1\",\"account\":\"a1\","
                + "\"amount\":7,\"city\":\"Paris\",\"extra\":[1]}");
    assertThat(
        r.transaction(),
        equalTo(new Transaction(2_000, "t2", "c1", "a1", 700, null, null, "Paris")));
    assertThat(r.transaction().place(), equalTo("Paris"));
  }

  @Test
  void theCountryIsThePlaceWhenBothAreGiven() throws Exception {
    RiskRecord r =
        RiskRecord.parse(
            "{\"type\":\"txn\",\"ts\":1,\"txn_id\":\"t\",\"card\":\"c\",\"account\":\"a\","
                + "\"amount\":1.05,\"country\":\"DE\",\"city\":\"Berlin\"}");
    assertThat(r.transaction().place(), equalTo("DE"));
    assertThat(r.transaction().amountCents(), equalTo(105L));
  }

  @Test
  void readsAnAccountProfileWithAnyOffset() throws Exception {
    RiskRecord r =
        RiskRecord.parse(
            "{\"type\":\"account\",\"ts\":\"1970-01-01T01:00:03+01:00\",\"account\":\"a1\","
                + "\"usual_amount\":120.00,\"home_country\":\"FR\",\"name\":\"x\"}");
    assertThat(r, equalTo(RiskRecord.of(new AccountProfile(3_000, "a1", 12_000, "FR"))));
    assertThat(r.isTransaction(), equalTo(false));
  }

  /** A good transaction with {@code field} set to {@code rawJson}, or removed if it is null. */
  private static String txnWith(String field, String rawJson) {
    ObjectNode node = good(TXN);
    if (rawJson == null) {
      node.remove(field);
    } else {
      node.set(field, raw(rawJson));
    }
    return node.toString();
  }

  private static String profileWith(String field, String rawJson) {
    ObjectNode node = good(PROFILE);
    if (rawJson == null) {
      node.remove(field);
    } else {
      node.set(field, raw(rawJson));
    }
    return node.toString();
  }

  static Stream<Arguments> badLines() {
    return Stream.of(
        bad("{\"type\":\"txn\",\"ts\":1", "not-json", "not JSON"),
        bad("[1, 2]", "not-object", "not a JSON object"),
        bad(txnWith("ts", null), "missing-field", "missing field 'ts'"),
        bad(txnWith("ts", "\"yesterday\""), "bad-timestamp", "field 'ts' is not an ISO-8601"),
        bad(txnWith("ts", "\"2026-01-01T00:00:00\""), "bad-timestamp", "field 'ts' is not an ISO"),
        bad(
            txnWith("ts", "true"),
            "bad-timestamp",
            "field 'ts' must be an ISO-8601 date-time string"),
        bad(txnWith("ts", "99999999999999999"), "bad-timestamp", "field 'ts' is out of range"),
        bad(txnWith("type", null), "missing-field", "missing field 'type'"),
        bad(txnWith("type", "1"), "wrong-type", "field 'type' must be a string, was NUMBER"),
        bad(
            txnWith("type", "\"refund\""),
            "unknown-type",
            "field 'type' must be 'txn' or 'account', was 'refund'"),
        bad(txnWith("txn_id", null), "missing-field", "missing field 'txn_id'"),
        bad(txnWith("card", "7"), "wrong-type", "field 'card' must be a string, was NUMBER"),
        bad(txnWith("account", "\" \""), "empty-field", "field 'account' is empty"),
        bad(txnWith("amount", null), "missing-field", "missing field 'amount'"),
        bad(
            txnWith("amount", "\"12.50\""),
            "wrong-type",
            "field 'amount' must be a number, was STRING \"12.50\""),
        bad(
            txnWith("amount", "-3.5"),
            "out-of-range",
            "field 'amount' must be more than 0 and at most 1000000000000, was -3.5"),
        bad(txnWith("amount", "0"), "out-of-range", "field 'amount' must be more than 0"),
        bad(
            txnWith("amount", "1e13"),
            "out-of-range",
            "field 'amount' must be more than 0 and at most 1000000000000, was 10000000000000"),
        bad(
            txnWith("amount", "12.345"),
            "bad-amount",
            "field 'amount' has more than 2 decimals (whole cents): 12.345"),
        bad(
            txnWith("currency", "\"euro\""),
            "bad-currency",
            "field 'currency' must be three capital letters (ISO 4217), was 'euro'"),
        bad(
            txnWith("country", null),
            "missing-field",
            "a transaction needs field 'country' or field 'city', had neither"),
        bad(txnWith("city", "[]"), "wrong-type", "field 'city' must be a string, was ARRAY"),
        bad(profileWith("usual_amount", null), "missing-field", "missing field 'usual_amount'"),
        bad(
            profileWith("usual_amount", "1.001"),
            "bad-amount",
            "field 'usual_amount' has more than 2 decimals"),
        bad(profileWith("account", null), "missing-field", "missing field 'account'"),
        bad(profileWith("home_country", "\"\""), "empty-field", "field 'home_country' is empty"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("badLines")
  void saysWhatIsWrongWithABadLine(String line, String kind, String reason) {
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> RiskRecord.parse(line));
    assertThat(e.getMessage(), startsWith(reason));
    assertThat(e.kind(), equalTo(kind));
  }

  private static Arguments bad(String line, String kind, String reason) {
    return Arguments.of(line, kind, reason);
  }

  private static ObjectNode good(String line) {
    try {
      return (ObjectNode) JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode raw(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aSourceOfOneTypeRefusesTheOtherAsUnexpected() {
    InvalidRecordException inInput =
        assertThrows(
            InvalidRecordException.class,
            () ->
                RiskRecord.parse(
                    "{\"type\":\"account\",\"ts\":5,\"account\":\"a\",\"usual_amount\":1,"
                        + "\"home_country\":\"FR\"}",
                    RiskRecord.Accepts.TRANSACTIONS));
    assertThat(inInput.kind(), equalTo("unexpected-type"));
    assertThat(
        inInput.getMessage(),
        equalTo(
            "a record of type 'account' in --input, but --accounts is set: profiles are read"
                + " from --accounts only"));
    assertThat(inInput.eventTimeMillis(), equalTo(5L));

    InvalidRecordException inAccounts =
        assertThrows(
            InvalidRecordException.class, () -> RiskRecord.parse(TXN, RiskRecord.Accepts.PROFILES));
    assertThat(inAccounts.kind(), equalTo("unexpected-type"));
    assertThat(
        inAccounts.getMessage(),
        equalTo("a record of type 'txn' in --accounts, which carries account profiles only"));
  }

  @Test
  void aRefusalAfterTheTimestampWasReadCarriesIt() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () -> RiskRecord.parse("{\"type\":\"txn\",\"ts\":1500,\"card\":[1]}"));
    assertThat(e.eventTimeMillis(), equalTo(1500L));
    assertThat(
        RiskRecord.timestampOrNull("{\"type\":\"nope\",\"ts\":1500}"), equalTo(new Instant(1500)));
    assertThat(RiskRecord.timestampOrNull("{\"type\":\"txn\"}"), nullValue());
  }

  @Test
  void codersRoundTripAndAreDeterministic() throws Exception {
    RiskRecord txn = RiskRecord.of(new Transaction(-5, "t ü", "c", "a", 1, null, null, "Zürich"));
    RiskRecord profile = RiskRecord.of(new AccountProfile(7, "a", 99, "CH"));
    CoderProperties.coderDecodeEncodeEqual(RiskRecord.Coder.of(), txn);
    CoderProperties.coderDecodeEncodeEqual(RiskRecord.Coder.of(), profile);
    CoderProperties.coderDeterministic(
        RiskRecord.Coder.of(), txn, RiskRecord.of(txn.transaction()));
    Coder<Transaction> txnCoder = Transaction.Coder.of();
    txnCoder.verifyDeterministic();
    AccountProfile.Coder.of().verifyDeterministic();
  }

  // Found by ParserFuzzTest: Jackson reads an amount beyond a double (here -1e309, the last of two
  // 'amount' fields) as an infinite double, whose decimalValue() threw NumberFormatException.
  @Test
  void refusesAnAmountBeyondADouble() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                RiskRecord.parse(
                    "{\"type\": \"txn\", \"ts\": 1767261600000, \"txn_id\": \"t2\", \"card\":"
                        + " \"c2\", \"account\": \"a2\", \"amount\": 1200, \"city\": \"Paris\","
                        + " \"amount\": -1e309, \"city\": \"1970-01-01T00:00:00Z\"}"));
    assertThat(e.kind(), equalTo("out-of-range"));
    assertThat(
        e.getMessage(),
        equalTo(
            "field 'amount' must be more than 0 and at most 1000000000000, was a number beyond"
                + " the range of a double"));
    assertThat(e.eventTimeMillis(), equalTo(1767261600000L));
  }

  // Found by ParserFuzzTest: an exponent beyond an int has no BigDecimal; Jackson threw a bare
  // NumberFormatException out of readTree.
  @Test
  void refusesANumberWithAnExponentBeyondAnInt() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                RiskRecord.parse(
                    "{\"type\": \"txn\", \"ts\": \"2026-01-01T10:00:00Z\", \"txn_id\": \"t1\","
                        + " \"card\": \"c1\", \"account\": \"a1\", \"amount\": 42.5, \"currency\":"
                        + " 1e-9999999999, \"99, \"country\": \"FR\"}"));
    assertThat(e.kind(), equalTo("not-json"));
    assertThat(e.getMessage(), startsWith("not JSON: "));
  }

  // Found by ParserFuzzTest: the reason of a refusal spelled 1e-999999999 out as a billion digits
  // (toPlainString), seconds of work and a gigabyte per record.
  @Test
  void namesAnAmountWithAnExtremeExponentInScientificNotation() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                RiskRecord.parse(
                    "{\"type\":\"account\",\"ts\":1,\"account\":\"a1\","
                        + "\"usual_amount\":1e-999999999,\"home_country\":\"FR\"}"));
    assertThat(e.kind(), equalTo("bad-amount"));
    assertThat(
        e.getMessage(),
        equalTo("field 'usual_amount' has more than 2 decimals (whole cents): 1E-999999999"));
  }

  // Found by ParserFuzzTest: half of a character parsed, and the coder (UTF-8) made it '?'.
  @Test
  void refusesAnIdWithHalfACharacter() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                RiskRecord.parse(
                    "{\"type\":\"txn\",\"ts\":5,\"txn_id\":\"t1\",\"card\":\"c\\ud800\","
                        + "\"account\":\"a1\",\"amount\":1,\"country\":\"FR\"}"));
    assertThat(e.kind(), equalTo("bad-unicode"));
    assertThat(e.getMessage(), startsWith("field 'card' has an unpaired surrogate \\ud800"));
    assertThat(e.eventTimeMillis(), equalTo(5L));
  }
}
