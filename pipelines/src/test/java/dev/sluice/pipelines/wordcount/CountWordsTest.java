package dev.sluice.pipelines.wordcount;

import dev.sluice.transforms.window.WindowSpec;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class CountWordsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static TimestampedValue<TextEvent> at(int seconds, String text) {
    Instant t = T0.plus(Duration.standardSeconds(seconds));
    return TimestampedValue.of(new TextEvent(t.getMillis(), text), t);
  }

  /** Windows of 2 minutes every minute, the default trigger. */
  private static final WindowSpec WINDOWS =
      WindowSpec.sliding(Duration.standardMinutes(2), Duration.standardMinutes(1));

  /** The expected line for a window starting {@code startMinute} minutes after T0, 2 long. */
  private static String line(String word, long count, int startMinute) {
    return line(word, count, startMinute, "ON_TIME", 0, true);
  }

  /** The line of a pane: its label, its index in the window and whether it is the final one. */
  private static String line(
      String word, long count, int startMinute, String pane, int index, boolean isFinal) {
    Instant start = T0.plus(Duration.standardMinutes(startMinute));
    return String.format(
        "{\"word\":\"%s\",\"count\":%d,\"window_start\":\"%s\",\"window_end\":\"%s\","
            + "\"pane\":\"%s\",\"pane_index\":%d,\"final\":%s}",
        word,
        count,
        java.time.Instant.ofEpochMilli(start.getMillis()),
        java.time.Instant.ofEpochMilli(start.getMillis() + 120_000),
        pane,
        index,
        isFinal);
  }

  /** Out-of-order data whose windows are still open: counted, one ON_TIME pane per window. */
  @Test
  void eachWindowFiresOnceOnTimeWithOutOfOrderData(TestPipeline p) {
    TestStream<TextEvent> stream =
        TestStream.create(TextEvent.Coder.of())
            .addElements(at(30, "a"), at(90, "a b"))
            .advanceWatermarkTo(T0.plus(Duration.standardSeconds(70)))
            .addElements(at(65, "b")) // out of order, but the window [0:00, 0:02) is still open
            .advanceWatermarkToInfinity();
    PAssert.that(countWords(p, stream))
        .containsInAnyOrder(
            line("a", 1, -1), line("a", 2, 0), line("b", 2, 0), line("a", 1, 1), line("b", 2, 1));
    p.run().waitUntilFinish();
  }

  /**
   * Data behind the watermark, past every window it belongs to, is dropped. Direct only: on Flink
   * and on Spark a TestStream element that follows a watermark advance was still counted on time
   * (measured with Beam 2.70.0, Flink 1.19, Spark 3.5), so the runners cannot check this here.
   */
  @Test
  @Tag("direct-only")
  void dataBehindTheWatermarkIsDropped(TestPipeline p) {
    TestStream<TextEvent> stream =
        TestStream.create(TextEvent.Coder.of())
            .addElements(at(30, "a"))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(2)))
            .addElements(at(10, "late")) // its windows [-1m, 1m) and [0, 2m) have closed
            .advanceWatermarkToInfinity();
    PAssert.that(countWords(p, stream)).containsInAnyOrder(line("a", 1, -1), line("a", 1, 0));
    p.run().waitUntilFinish();
  }

  /**
   * With allowed lateness 2m, a record behind the watermark still counts in the windows that closed
   * less than 2m ago, each in its own LATE pane (panes discard: the late record only), and is
   * dropped from a window older than that. Direct only, as above.
   */
  @Test
  @Tag("direct-only")
  void lateRecordsWithinTheAllowedLatenessFireLatePanes(TestPipeline p) {
    TestStream<TextEvent> stream =
        TestStream.create(TextEvent.Coder.of())
            .addElements(at(30, "a"))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(2)))
            .addElements(at(10, "a")) // windows [-1m, 1m) and [0, 2m) closed, within 2m
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(3)).plus(Duration.millis(1)))
            .addElements(at(5, "b")) // [-1m, 1m) closed more than 2m ago; [0, 2m) not
            .advanceWatermarkToInfinity();
    PCollection<String> counts =
        p.apply(stream)
            .apply(
                new SlidingWordCount.CountWords(
                    WINDOWS.withAllowedLateness(Duration.standardMinutes(2))));
    PAssert.that(counts)
        .containsInAnyOrder(
            line("a", 1, -1, "ON_TIME", 0, false),
            line("a", 1, 0, "ON_TIME", 0, false),
            line("a", 1, -1, "LATE", 1, false),
            line("a", 1, 0, "LATE", 1, false),
            line("b", 1, 0, "LATE", 0, false));
    p.run().waitUntilFinish();
  }

  /**
   * Early counts after every record: accumulating, each line is the count so far and the ON_TIME
   * line the window's count; discarding, a window's lines add up to it, and its ON_TIME line (0
   * here: nothing came after the early panes) still says the window is final. Direct only: how many
   * early panes fire by count depends on the runner's bundles.
   */
  @Test
  @Tag("direct-only")
  void earlyPanesAccumulateToTheOnTimeCount(TestPipeline p) {
    TestStream<TextEvent> stream =
        TestStream.create(TextEvent.Coder.of())
            .addElements(at(30, "a"))
            .addElements(at(40, "a"))
            .advanceWatermarkToInfinity();
    PAssert.that(
            p.apply(stream)
                .apply(
                    new SlidingWordCount.CountWords(
                        WINDOWS.withTrigger("--trigger", "early=1,accumulating"))))
        .containsInAnyOrder(
            line("a", 1, -1, "EARLY", 0, false),
            line("a", 2, -1, "EARLY", 1, false),
            line("a", 2, -1, "ON_TIME", 2, true),
            line("a", 1, 0, "EARLY", 0, false),
            line("a", 2, 0, "EARLY", 1, false),
            line("a", 2, 0, "ON_TIME", 2, true));
    p.run().waitUntilFinish();
  }

  @Test
  @Tag("direct-only")
  void discardingEarlyPanesAddUpToTheWindowsCount(TestPipeline p) {
    TestStream<TextEvent> stream =
        TestStream.create(TextEvent.Coder.of())
            .addElements(at(30, "a"))
            .addElements(at(40, "a"))
            .advanceWatermarkToInfinity();
    PAssert.that(
            p.apply(stream)
                .apply(
                    new SlidingWordCount.CountWords(
                        WINDOWS.withTrigger("--trigger", "early=1,discarding"))))
        .containsInAnyOrder(
            line("a", 1, -1, "EARLY", 0, false),
            line("a", 1, -1, "EARLY", 1, false),
            line("a", 0, -1, "ON_TIME", 2, true),
            line("a", 1, 0, "EARLY", 0, false),
            line("a", 1, 0, "EARLY", 1, false),
            line("a", 0, 0, "ON_TIME", 2, true));
    p.run().waitUntilFinish();
  }

  private static PCollection<String> countWords(TestPipeline p, TestStream<TextEvent> stream) {
    return p.apply(stream).apply(new SlidingWordCount.CountWords(WINDOWS));
  }
}
