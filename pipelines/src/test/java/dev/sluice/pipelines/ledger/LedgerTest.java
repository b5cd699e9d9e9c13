package dev.sluice.pipelines.ledger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command side's rules, on hand-written commands with hand-worked results. */
class LedgerTest {
  private static String cmd(String id, String type, String account, String rest, int minute) {
    return String.format(
        "{\"command_id\":\"%s\",\"type\":\"%s\",\"account\":\"%s\"%s,\"ts\":\"2026-01-01T09:%02d:00Z\"}",
        id, type, account, rest, minute);
  }

  @Test
  void acceptedCommandsBecomeVersionedEventsWithTheBalanceAfter() {
    LedgerModel.Outcome out =
        LedgerModel.decide(
            List.of(
                cmd("c1", "open", "a", "", 0),
                cmd("c2", "open", "b", "", 1),
                cmd("c3", "deposit", "a", ",\"amount\":100.50", 2),
                cmd("c4", "transfer", "a", ",\"to\":\"b\",\"amount\":40", 3),
                cmd("c5", "withdraw", "b", ",\"amount\":15.25", 4)));
    assertThat(out.rejections(), equalTo(List.of()));
    assertThat(out.deadLetters(), equalTo(0));
    assertThat(
        out.eventLines(),
        equalTo(
            List.of(
                "{\"event_id\":\"c1\",\"command_id\":\"c1\",\"type\":\"opened\",\"account\":\"a\","
                    + "\"amount_cents\":0,\"balance_cents\":0,\"version\":1,"
                    + "\"ts\":\"2026-01-01T09:00:00Z\"}",
                "{\"event_id\":\"c2\",\"command_id\":\"c2\",\"type\":\"opened\",\"account\":\"b\","
                    + "\"amount_cents\":0,\"balance_cents\":0,\"version\":1,"
                    + "\"ts\":\"2026-01-01T09:01:00Z\"}",
                "{\"event_id\":\"c3\",\"command_id\":\"c3\",\"type\":\"deposited\",\"account\":\"a\","
                    + "\"amount_cents\":10050,\"balance_cents\":10050,\"version\":2,"
                    + "\"ts\":\"2026-01-01T09:02:00Z\"}",
                "{\"event_id\":\"c4/out\",\"command_id\":\"c4\",\"type\":\"transferred_out\","
                    + "\"account\":\"a\",\"counterparty\":\"b\",\"amount_cents\":4000,"
                    + "\"balance_cents\":6050,\"version\":3,\"ts\":\"2026-01-01T09:03:00Z\"}",
                "{\"event_id\":\"c4/in\",\"command_id\":\"c4\",\"type\":\"transferred_in\","
                    + "\"account\":\"b\",\"counterparty\":\"a\",\"amount_cents\":4000,"
                    + "\"balance_cents\":4000,\"version\":2,\"ts\":\"2026-01-01T09:03:00Z\"}",
                "{\"event_id\":\"c5\",\"command_id\":\"c5\",\"type\":\"withdrawn\",\"account\":\"b\","
                    + "\"amount_cents\":1525,\"balance_cents\":2475,\"version\":3,"
                    + "\"ts\":\"2026-01-01T09:04:00Z\"}")));
    assertThat(
        LedgerModel.balances(out.events()),
        equalTo(
            Map.of("a", new LedgerModel.Balance(6050, 3), "b", new LedgerModel.Balance(2475, 3))));
  }

  @Test
  void refusedCommandsAreRejectionsWithTheirReasonAndChangeNothing() {
    LedgerModel.Outcome out =
        LedgerModel.decide(
            List.of(
                cmd("c1", "open", "a", "", 0),
                cmd("c2", "deposit", "a", ",\"amount\":10", 1),
                cmd("c2", "deposit", "a", ",\"amount\":10", 2), // the same id again: a retry
                cmd("c3", "open", "a", "", 3),
                cmd("c4", "deposit", "nobody", ",\"amount\":5", 4),
                cmd("c5", "transfer", "a", ",\"to\":\"nobody\",\"amount\":1", 5),
                cmd("c6", "withdraw", "a", ",\"amount\":10.01", 6),
                cmd("c6", "withdraw", "a", ",\"amount\":1", 7), // a refused id stays used
                cmd("c7", "transfer", "a", ",\"to\":\"a\",\"amount\":1", 8), // dead letter
                "{not json"));
    assertThat(
        out.rejections().stream().map(r -> r.command().commandId() + " " + r.kind()).toList(),
        equalTo(
            List.of(
                "c2 duplicate-command",
                "c3 account-exists",
                "c4 unknown-account",
                "c5 unknown-recipient",
                "c6 overdraft",
                "c6 duplicate-command")));
    assertThat(out.deadLetters(), equalTo(2));
    assertThat(
        out.rejections().get(4).reason(),
        equalTo("withdraw of 10.01 from account 'a' exceeds its balance 10.00"));
    assertThat(
        LedgerModel.balances(out.events()), equalTo(Map.of("a", new LedgerModel.Balance(1000, 2))));
    assertThat(
        out.rejectionLines().get(0),
        equalTo(
            "{\"command_id\":\"c2\",\"type\":\"deposit\",\"account\":\"a\","
                + "\"reason_kind\":\"duplicate-command\",\"reason\":\"command id 'c2' was seen"
                + " before\",\"ts\":\"2026-01-01T09:02:00Z\"}"));
  }

  @Test
  void commandsApplyInEventTimeOrderNotArrivalOrder() {
    // The deposit arrives first but happened after the opening: it is applied after it.
    LedgerModel.Outcome out =
        LedgerModel.decide(
            List.of(cmd("c2", "deposit", "a", ",\"amount\":3", 5), cmd("c1", "open", "a", "", 0)));
    assertThat(out.rejections(), equalTo(List.of()));
    assertThat(out.events().get(1).balanceCents(), equalTo(300L));
  }

  @Test
  void eventsReadBackFromTheLogAreTheSame() throws Exception {
    for (LedgerEvent e :
        LedgerModel.decide(
                List.of(
                    cmd("c1", "open", "a", "", 0),
                    cmd("c2", "open", "b", "", 1),
                    cmd("c3", "deposit", "a", ",\"amount\":7", 2),
                    cmd("c4", "transfer", "a", ",\"to\":\"b\",\"amount\":2", 3)))
            .events()) {
      assertThat(LedgerEvent.parse(e.toJson()), equalTo(e));
    }
  }

  @Test
  void malformedCommandsNameWhatIsWrong() {
    InvalidRecordException unknown =
        assertThrows(
            InvalidRecordException.class,
            () -> LedgerCommand.parse(cmd("c1", "close", "a", "", 0)));
    assertThat(unknown.kind(), equalTo("unknown-type"));
    assertThat(unknown.getMessage(), containsString("'close'"));
    InvalidRecordException noAmount =
        assertThrows(
            InvalidRecordException.class,
            () -> LedgerCommand.parse(cmd("c1", "deposit", "a", "", 0)));
    assertThat(noAmount.kind(), equalTo("missing-field"));
    InvalidRecordException negative =
        assertThrows(
            InvalidRecordException.class,
            () -> LedgerCommand.parse(cmd("c1", "withdraw", "a", ",\"amount\":-3", 0)));
    assertThat(negative.kind(), equalTo("out-of-range"));
    InvalidRecordException noRecipient =
        assertThrows(
            InvalidRecordException.class,
            () -> LedgerCommand.parse(cmd("c1", "transfer", "a", ",\"amount\":3", 0)));
    assertThat(noRecipient.getMessage(), containsString("'to'"));
    assertThat(
        assertThrows(
                InvalidRecordException.class,
                () ->
                    LedgerCommand.parse(
                        cmd("c1", "transfer", "a", ",\"to\":\"a\",\"amount\":3", 0)))
            .kind(),
        is("same-account"));
  }

  @Test
  void aLogThatLostAnEventIsNoReadModel() {
    List<LedgerEvent> events =
        LedgerModel.decide(
                List.of(
                    cmd("c1", "open", "a", "", 0),
                    cmd("c2", "deposit", "a", ",\"amount\":1", 1),
                    cmd("c3", "deposit", "a", ",\"amount\":1", 2)))
            .events();
    IllegalStateException gap =
        assertThrows(
            IllegalStateException.class,
            () -> LedgerModel.balances(List.of(events.get(0), events.get(2))));
    assertThat(gap.getMessage(), containsString("expected 2"));
  }

  // Found by ParserFuzzTest: Jackson reads 1e2147483648 (the last 'amount') as an infinite
  // double, whose decimalValue() threw NumberFormatException.
  @Test
  void refusesACommandWithAnAmountBeyondADouble() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                LedgerCommand.parse(
                    "{\"command_id\": \"c-3\", \"text\": 20364, \"type\": \"withdraw\","
                        + " \"account\": \"acc-1\", \"amount\": 20.5, \"ts\": 1767258120000,"
                        + " \"amount\": 1e2147483648}"));
    assertThat(e.kind(), equalTo("out-of-range"));
    assertThat(e.getMessage(), containsString("was a number beyond the range of a double"));
  }

  // Found by ParserFuzzTest: half of a character parsed, and the coder (UTF-8) made it '?'.
  @Test
  void refusesCommandsAndEventsWithHalfACharacter() {
    InvalidRecordException command =
        assertThrows(
            InvalidRecordException.class,
            () ->
                LedgerCommand.parse(
                    "{\"command_id\":\"c-1\",\"type\":\"open\",\"account\":\"acc-\\udbff\","
                        + "\"ts\":\"2026-01-01T09:00:00Z\"}"));
    assertThat(command.kind(), equalTo("bad-unicode"));
    assertThat(command.getMessage(), containsString("field 'account' has an unpaired surrogate"));
    InvalidRecordException event =
        assertThrows(
            InvalidRecordException.class,
            () ->
                LedgerEvent.parse(
                    "{\"event_id\":\"c-1\",\"command_id\":\"c\\udc00-1\",\"type\":\"opened\","
                        + "\"account\":\"acc-1\",\"amount_cents\":0,\"balance_cents\":0,"
                        + "\"version\":1,\"ts\":\"2026-01-01T09:00:00Z\"}"));
    assertThat(event.kind(), equalTo("bad-unicode"));
    assertThat(event.getMessage(), containsString("field 'command_id' has an unpaired surrogate"));
  }
}
