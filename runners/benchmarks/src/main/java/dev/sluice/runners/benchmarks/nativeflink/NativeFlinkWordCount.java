package dev.sluice.runners.benchmarks.nativeflink;

import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.pipelines.wordcount.TextEvent;
import dev.sluice.pipelines.wordcount.Words;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.time.Duration;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The sliding word count written with Flink's own DataStream API, as a Flink user would write it
 * instead of the Beam pipeline {@code word-count}: parse {"ts","text"} (bad lines to a side
 * output), split into words at the line's event time, sliding event-time windows, count per word
 * with an incremental aggregate, the same JSON result lines.
 */
public final class NativeFlinkWordCount implements NativeFlinkJob {
  private static final TypeInformation<Tuple2<String, Long>> WORD_AND_COUNT =
      TypeInformation.of(new TypeHint<Tuple2<String, Long>>() {});

  private final Duration size;
  private final Duration period;

  public NativeFlinkWordCount(Duration size, Duration period) {
    this.size = size;
    this.period = period;
  }

  @Override
  public String name() {
    return "word-count";
  }

  @Override
  public void build(StreamExecutionEnvironment env, NativeFlinkIo io) {
    SingleOutputStreamOperator<TextEvent> events =
        io.readLines(env).process(new ParseFn()).name("ParseTextEvents");
    io.writeLines(events.getSideOutput(DeadLetters.TAG), NativeFlinkIo.Output.DEAD_LETTERS);
    DataStream<String> counts =
        events
            .assignTimestampsAndWatermarks(
                io.eventTime((TextEvent event, long previous) -> event.timestampMillis()))
            .flatMap(
                (TextEvent event, Collector<Tuple2<String, Long>> out) -> {
                  for (String word : Words.split(event.text())) {
                    out.collect(Tuple2.of(word, 1L));
                  }
                })
            .returns(WORD_AND_COUNT)
            .name("SplitIntoWords")
            .keyBy(wordAndCount -> wordAndCount.f0)
            .window(SlidingEventTimeWindows.of(size, period))
            .aggregate(new SumCounts(), new FormatCount())
            .name("CountPerWordInSlidingWindows");
    io.writeLines(counts, NativeFlinkIo.Output.RESULTS);
  }

  /** A line → a text event, or its raw text and reason to the dead-letter side output. */
  static final class ParseFn extends ProcessFunction<String, TextEvent> {
    @Override
    public void processElement(String line, Context context, Collector<TextEvent> out) {
      try {
        out.collect(TextEvent.parse(line));
      } catch (InvalidRecordException e) {
        context.output(DeadLetters.TAG, DeadLetters.line(line, e));
      }
    }
  }

  static final class SumCounts implements AggregateFunction<Tuple2<String, Long>, Long, Long> {
    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(Tuple2<String, Long> value, Long accumulator) {
      return accumulator + value.f1;
    }

    @Override
    public Long getResult(Long accumulator) {
      return accumulator;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  static final class FormatCount extends ProcessWindowFunction<Long, String, String, TimeWindow> {
    @Override
    public void process(
        String word, Context context, Iterable<Long> counts, Collector<String> out) {
      out.collect(
          ResultLine.create()
              .put("word", word)
              .put("count", counts.iterator().next())
              .finalWindow(context.window().getStart(), context.window().getEnd())
              .toJson());
    }
  }
}
