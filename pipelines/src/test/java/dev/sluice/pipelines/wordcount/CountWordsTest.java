package dev.sluice.pipelines.wordcount;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class CountWordsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static TimestampedValue<TextEvent> at(int seconds, String text) {
    Instant t = T0.plus(Duration.standardSeconds(seconds));
    return TimestampedValue.of(new TextEvent(t.getMillis(), text), t);
  }

  /** The expected line for a window starting {@code startMinute} minutes after T0, 2 long. */
  private static String line(String word, long count, int startMinute) {
    Instant start = T0.plus(Duration.standardMinutes(startMinute));
    return String.format(
        "{\"word\":\"%s\",\"count\":%d,\"window_start\":\"%s\",\"window_end\":\"%s\","
            + "\"pane\":\"ON_TIME\"}",
        word,
        count,
        java.time.Instant.ofEpochMilli(start.getMillis()),
        java.time.Instant.ofEpochMilli(start.getMillis() + 120_000));
  }

  @Test
  void eachWindowFiresOnceOnTimeAndDataBehindTheWatermarkIsDropped(TestPipeline p) {
    TestStream<TextEvent> stream =
        TestStream.create(TextEvent.Coder.of())
            .addElements(at(30, "a"), at(90, "a b"))
            .advanceWatermarkTo(T0.plus(Duration.standardSeconds(70)))
            .addElements(at(65, "b")) // out of order, but the window [0:00, 0:02) is still open
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(2)))
            .addElements(at(10, "late")) // its windows have all closed: not counted
            .advanceWatermarkToInfinity();
    PCollection<String> out =
        p.apply(stream)
            .apply(
                new SlidingWordCount.CountWords(
                    Duration.standardMinutes(2), Duration.standardMinutes(1)));
    PAssert.that(out)
        .containsInAnyOrder(
            line("a", 1, -1),
            line("a", 2, 0),
            line("b", 2, 0),
            line("a", 1, 1),
            line("b", 2, 1));
    p.run().waitUntilFinish();
  }
}
