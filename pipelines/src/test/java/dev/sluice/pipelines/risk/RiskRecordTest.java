package dev.sluice.pipelines.risk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.transforms.quality.InvalidRecordException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RiskRecordTest {
  private static final String TXN =
      "{\"type\":\"txn\",\"ts\":\"1970-01-01T00:00:01Z\",\"txn_id\":\"t1\",\"card\":\"c1\","
          + "\"account\":\"a1\",\"amount\":42.5,\"currency\":\"EUR\",\"country\":\"FR\"}";

  @Test
  void readsATransactionWithItsAmountInCents() throws Exception {
    RiskRecord r = RiskRecord.parse(TXN);
    assertThat(
        r, equalTo(RiskRecord.of(new Transaction(1_000, "t1", "c1", "a1", 4_250, "EUR", "FR", null))));
    assertThat(r.transaction().place(), equalTo("FR"));
    assertThat(r.account(), equalTo("a1"));
  }

  @Test
  void aTransactionNeedsNoCurrencyAndMayNameACityInsteadOfACountry() throws Exception {
    RiskRecord r =
        RiskRecord.parse(
            "{\"type\":\"txn\",\"ts\":2000,\"txn_id\":\"t2\",\"card\":\"c1\",\"account\":\"a1\","
                + "\"amount\":7,\"city\":\"Paris\",\"extra\":[1]}");
    assertThat(r.transaction(), equalTo(new Transaction(2_000, "t2", "c1", "a1", 700, null, null, "Paris")));
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

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":\"txn\",\"ts\":1                                   | not JSON| not-json",
        "[1, 2]                                                      | not a JSON object| not-object",
        "{\"type\":\"txn\"}                                          | missing field 'ts'| missing-field",
        "{\"type\":\"txn\",\"ts\":\"yesterday\"}                     | field 'ts' is not an ISO-8601| bad-timestamp",
        "{\"type\":\"txn\",\"ts\":\"2026-01-01T00:00:00\"}           | field 'ts' is not an ISO-8601| bad-timestamp",
        "{\"type\":\"txn\",\"ts\":true}                              | field 'ts' must be an ISO-8601 string or epoch| bad-timestamp",
        "{\"type\":\"txn\",\"ts\":99999999999999999}                 | field 'ts' is out of range| bad-timestamp",
        "{\"ts\":1}                                                  | missing field 'type'| missing-field",
        "{\"ts\":1,\"type\":1}                                       | field 'type' must be a string, was NUMBER| wrong-type",
        "{\"ts\":1,\"type\":\"refund\"}                              | field 'type' must be 'txn' or 'account', was 'refund'| unknown-type",
        "{\"ts\":1,\"type\":\"txn\",\"card\":\"c\",\"account\":\"a\",\"amount\":1,\"country\":\"FR\"}| missing field 'txn_id'| missing-field",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":7,\"account\":\"a\",\"amount\":1,\"country\":\"FR\"}| field 'card' must be a string, was NUMBER| wrong-type",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":\"c\",\"account\":\" \",\"amount\":1,\"country\":\"FR\"}| field 'account' is empty| empty-field",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":\"c\",\"account\":\"a\",\"country\":\"FR\"}| missing field 'amount'| missing-field",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":\"c\",\"account\":\"a\",\"amount\":\"12.50\",\"country\":\"FR\"}| field 'amount' must be a number, was STRING \"12.50\"| wrong-type",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":\"c\",\"account\":\"a\",\"amount\":-3.5,\"country\":\"FR\"}| field 'amount' must be more than 0 and at most 1000000000000, was -3.5| out-of-range",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":\"c\",\"account\":\"a\",\"amount\":0,\"country\":\"FR\"}| field 'amount' must be more than 0| out-of-range",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":\"c\",\"account\":\"a\",\"amount\":1e13,\"country\":\"FR\"}| field 'amount' must be more than 0 and at most 1000000000000, was 10000000000000| out-of-range",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":\"c\",\"account\":\"a\",\"amount\":12.345,\"country\":\"FR\"}| field 'amount' has more than 2 decimals (whole cents): 12.345| bad-amount",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":\"c\",\"account\":\"a\",\"amount\":1,\"currency\":\"euro\",\"country\":\"FR\"}| field 'currency' must be three capital letters (ISO 4217), was 'euro'| bad-currency",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":\"c\",\"account\":\"a\",\"amount\":1}| a transaction needs field 'country' or field 'city', had neither| missing-field",
        "{\"ts\":1,\"type\":\"txn\",\"txn_id\":\"t\",\"card\":\"c\",\"account\":\"a\",\"amount\":1,\"city\":[]}| field 'city' must be a string, was ARRAY| wrong-type",
        "{\"ts\":1,\"type\":\"account\",\"account\":\"a\",\"home_country\":\"FR\"}| missing field 'usual_amount'| missing-field",
        "{\"ts\":1,\"type\":\"account\",\"account\":\"a\",\"usual_amount\":1.001,\"home_country\":\"FR\"}| field 'usual_amount' has more than 2 decimals| bad-amount",
        "{\"ts\":1,\"type\":\"account\",\"usual_amount\":1,\"home_country\":\"FR\"}| missing field 'account'| missing-field",
        "{\"ts\":1,\"type\":\"account\",\"account\":\"a\",\"usual_amount\":1,\"home_country\":\"\"}| field 'home_country' is empty| empty-field",
      })
  void saysWhatIsWrongWithABadLine(String line, String reason, String kind) {
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> RiskRecord.parse(line.trim()));
    assertThat(e.getMessage(), startsWith(reason.trim()));
    assertThat(e.kind(), equalTo(kind.trim()));
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
            InvalidRecordException.class,
            () -> RiskRecord.parse(TXN, RiskRecord.Accepts.PROFILES));
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
    assertThat(RiskRecord.timestampOrNull("{\"type\":\"nope\",\"ts\":1500}"), equalTo(new Instant(1500)));
    assertThat(RiskRecord.timestampOrNull("{\"type\":\"txn\"}"), nullValue());
  }

  @Test
  void codersRoundTripAndAreDeterministic() throws Exception {
    RiskRecord txn = RiskRecord.of(new Transaction(-5, "t ü", "c", "a", 1, null, null, "Zürich"));
    RiskRecord profile = RiskRecord.of(new AccountProfile(7, "a", 99, "CH"));
    CoderProperties.coderDecodeEncodeEqual(RiskRecord.Coder.of(), txn);
    CoderProperties.coderDecodeEncodeEqual(RiskRecord.Coder.of(), profile);
    CoderProperties.coderDeterministic(RiskRecord.Coder.of(), txn, RiskRecord.of(txn.transaction()));
    Coder<Transaction> txnCoder = Transaction.Coder.of();
    txnCoder.verifyDeterministic();
    AccountProfile.Coder.of().verifyDeterministic();
  }
}
