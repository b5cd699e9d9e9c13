package dev.sluice.pipelines.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

/** The Kafka key of a result line: what a compacted topic keeps one record per. */
class WriteKafkaKeyTest {
  private static String key(String fields, String line) {
    return new WriteKafka.ToProducerRecordFn("t", fields).key(line);
  }

  @Test
  void aLineWithoutWindowIsKeyedByItsOneKeyFieldsText() {
    assertThat(key("account", "{\"account\":\"acct-1\",\"amount\":5}"), equalTo("acct-1"));
  }

  @Test
  void aWindowedResultIsKeyedByItsKeyFieldsAndItsWindowSoEachPaneReplacesTheLast() {
    String early =
        "{\"word\":\"beam\",\"count\":1,\"window_start\":\"2026-01-01T00:00:00Z\","
            + "\"window_end\":\"2026-01-01T00:10:00Z\",\"pane\":\"EARLY\",\"pane_index\":0,"
            + "\"final\":false}";
    String onTime = early.replace("\"count\":1", "\"count\":3").replace("EARLY", "ON_TIME");
    String expected = "{\"word\":\"beam\",\"window_start\":\"2026-01-01T00:00:00Z\"}";
    assertThat(key("word", early), equalTo(expected));
    assertThat(key("word", onTime), equalTo(expected));
  }

  @Test
  void keyFieldsALineLacksAreLeftOutAndTheirOrderIsKept() {
    String line =
        "{\"rule\":\"no-profile\",\"account\":\"a\",\"count\":1,"
            + "\"window_start\":\"2026-01-01T00:00:00Z\"}";
    assertThat(
        key("account,rule,card", line),
        equalTo(
            "{\"account\":\"a\",\"rule\":\"no-profile\","
                + "\"window_start\":\"2026-01-01T00:00:00Z\"}"));
  }

  @Test
  void noKeyFieldsOrALineThatIsNotJsonGiveNoKey() {
    assertThat(key(null, "{\"word\":\"beam\"}"), nullValue());
    assertThat(key("word", "not json"), nullValue());
  }
}
