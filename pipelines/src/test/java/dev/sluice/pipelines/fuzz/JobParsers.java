package dev.sluice.pipelines.fuzz;

import dev.sluice.pipelines.iot.SensorReading;
import dev.sluice.pipelines.ledger.LedgerCommand;
import dev.sluice.pipelines.ledger.LedgerEvent;
import dev.sluice.pipelines.logs.AccessLog;
import dev.sluice.pipelines.risk.AccountProfile;
import dev.sluice.pipelines.risk.RiskRecord;
import dev.sluice.pipelines.risk.Transaction;
import dev.sluice.pipelines.trending.ClickEvent;
import dev.sluice.pipelines.wordcount.TextEvent;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * Every record parser the jobs read their input with, as the jobs call it, each with valid lines of
 * every shape it accepts (the generators' shapes and the formats of the class comments).
 */
final class JobParsers {
  static final FuzzedParser<TextEvent> TEXT_EVENT =
      FuzzedParser.of(
          "TextEvent",
          TextEvent::parse,
          TextEvent.Coder.of(),
          TextEvent::timestamp,
          "{\"ts\":\"2026-11-21T10:15:30Z\",\"text\":\"the quick brown fox\"}",
          "{\"ts\":1763720130000,\"text\":\"jumps over the lazy dog\"}",
          "{\"ts\":\"2026-11-21T11:15:30.250+01:00\",\"text\":\"\u00dcn\u00efc\u00f6d\u00e9"
              + " \u65e5\u672c \ud83d\ude00\",\"lang\":\"x\"}");

  static final FuzzedParser<AccessLog> ACCESS_LOG =
      FuzzedParser.of(
          "AccessLog",
          AccessLog::parse,
          AccessLog.Coder.of(),
          AccessLog::timestamp,
          "127.0.0.1 - frank [10/Oct/2026:13:55:36 -0700] \"GET /api/orders/7 HTTP/1.1\" 200 2326",
          "10.0.0.2 - - [10/Oct/2026:13:55:37 +0000] \"POST /checkout HTTP/1.1\" 500 -"
              + " \"https://shop.example/\" \"Mozilla/5.0 (X11; Linux)\"",
          "10.0.0.3 - - [10/Oct/2026:13:55:38 +0000] \"GET / HTTP/1.1\" 304 0 12500",
          "10.0.0.4 - bob [10/Oct/2026:13:55:39 +0200] \"GET /search?q=a HTTP/1.1\" 200 512 \"-\""
              + " \"curl/8.0\" 830",
          "{\"ts\": \"2026-10-10T20:55:36Z\", \"service\": \"api\", \"client\": \"127.0.0.1\","
              + " \"method\": \"GET\", \"path\": \"/api/orders/7\", \"status\": 200, \"bytes\":"
              + " 2326, \"latency_ms\": 12.5}",
          "{\"ts\":1791665736000,\"service\":\"web\",\"client\":\"10.0.0.9\",\"status\":404}");

  static final FuzzedParser<RiskRecord> RISK_RECORD =
      FuzzedParser.of(
              "RiskRecord",
              RiskRecord.Accepts.BOTH.parser(),
              RiskRecord.Coder.of(),
              RiskRecord::timestamp,
              "{\"type\":\"txn\",\"ts\":\"2026-01-01T10:00:00Z\",\"txn_id\":\"t1\",\"card\":\"c1\","
                  + "\"account\":\"a1\",\"amount\":42.50,\"currency\":\"EUR\",\"country\":\"FR\"}",
              "{\"type\":\"txn\",\"ts\":1767261600000,\"txn_id\":\"t2\",\"card\":\"c2\","
                  + "\"account\":\"a2\",\"amount\":1200,\"city\":\"Paris\"}",
              "{\"type\":\"account\",\"ts\":\"2026-01-01T10:00:00Z\",\"account\":\"a1\","
                  + "\"usual_amount\":40.00,\"home_country\":\"FR\"}")
          // The job keys and shuffles the two parts with their own coders.
          .alsoChecking(
              record -> {
                if (record.isTransaction()) {
                  roundTrips(Transaction.Coder.of(), record.transaction());
                } else {
                  roundTrips(AccountProfile.Coder.of(), record.profile());
                }
              });

  static final FuzzedParser<SensorReading> SENSOR_READING =
      FuzzedParser.of(
          "SensorReading",
          SensorReading::parse,
          SensorReading.Coder.of(),
          SensorReading::timestamp,
          "{\"ts\":\"2026-01-01T00:00:07.250Z\",\"device\":\"dev-007\",\"sensor\":\"temperature\","
              + "\"value\":21.37}",
          "{\"ts\":1767225607250,\"device\":\"dev-008\",\"value\":-3}",
          "{\"ts\":\"2026-01-01T01:00:07+01:00\",\"device\":\"dev-009\",\"sensor\":null,"
              + "\"value\":1.5e3}");

  static final FuzzedParser<ClickEvent> CLICK_EVENT =
      FuzzedParser.of(
          "ClickEvent",
          ClickEvent::parse,
          ClickEvent.Coder.of(),
          ClickEvent::timestamp,
          "{\"ts\":\"2026-01-01T10:15:30Z\",\"user\":\"u-17\",\"item\":\"i-3\",\"category\":\"books\"}",
          "{\"ts\":1767262530000,\"user\":\"u-18\",\"item\":\"i-4\",\"category\":\"games\"}");

  static final FuzzedParser<LedgerCommand> LEDGER_COMMAND =
      FuzzedParser.of(
          "LedgerCommand",
          LedgerCommand::parse,
          LedgerCommand.Coder.of(),
          LedgerCommand::timestamp,
          "{\"command_id\":\"c-1\",\"type\":\"open\",\"account\":\"acc-1\","
              + "\"ts\":\"2026-01-01T09:00:00Z\"}",
          "{\"command_id\":\"c-2\",\"type\":\"deposit\",\"account\":\"acc-1\",\"amount\":120.00,"
              + "\"ts\":\"2026-01-01T09:01:00Z\"}",
          "{\"command_id\":\"c-3\",\"type\":\"withdraw\",\"account\":\"acc-1\",\"amount\":20.50,"
              + "\"ts\":1767258120000}",
          "{\"command_id\":\"c-4\",\"type\":\"transfer\",\"account\":\"acc-1\",\"to\":\"acc-2\","
              + "\"amount\":50,\"ts\":\"2026-01-01T09:03:00Z\"}");

  static final FuzzedParser<LedgerEvent> LEDGER_EVENT =
      FuzzedParser.of(
          "LedgerEvent",
          LedgerEvent::parse,
          LedgerEvent.Coder.of(),
          LedgerEvent::timestamp,
          "{\"event_id\":\"c-1\",\"command_id\":\"c-1\",\"type\":\"opened\",\"account\":\"acc-1\","
              + "\"amount_cents\":0,\"balance_cents\":0,\"version\":1,"
              + "\"ts\":\"2026-01-01T09:00:00Z\"}",
          "{\"event_id\":\"c-4/out\",\"command_id\":\"c-4\",\"type\":\"transferred_out\","
              + "\"account\":\"acc-1\",\"counterparty\":\"acc-2\",\"amount_cents\":5000,"
              + "\"balance_cents\":4950,\"version\":4,\"ts\":\"2026-01-01T09:03:00Z\"}",
          "{\"event_id\":\"c-2\",\"command_id\":\"c-2\",\"type\":\"deposited\",\"account\":\"acc-1\","
              + "\"amount_cents\":12000,\"balance_cents\":12000,\"version\":2,\"ts\":1767258060000}");

  /** All of them, for the tests that run every parser. */
  static final List<FuzzedParser<?>> ALL =
      List.of(
          TEXT_EVENT,
          ACCESS_LOG,
          RISK_RECORD,
          SENSOR_READING,
          CLICK_EVENT,
          LEDGER_COMMAND,
          LEDGER_EVENT);

  private JobParsers() {}

  private static <T> void roundTrips(Coder<T> coder, T value) throws Exception {
    T decoded = CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, value));
    if (!value.equals(decoded)) {
      throw new AssertionError(coder + " changed " + value + " into " + decoded);
    }
  }
}
