package dev.sluice.runners.benchmarks.nativeflink;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

/**
 * A native job's files in batch mode: reads the text lines of the file or folder {@code input},
 * writes part files into {@code <output>/out/}, {@code <output>/alerts/} and {@code
 * <output>/dead/}.
 */
final class NativeFlinkFileIo implements NativeFlinkIo {
  private final String input;
  private final String output;

  NativeFlinkFileIo(String input, String output) {
    this.input = input;
    this.output = output;
  }

  @Override
  public DataStream<String> readLines(StreamExecutionEnvironment env) {
    FileSource<String> source =
        FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(input)).build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "ReadLines");
  }

  /** Batch mode fires every window at the end of the input; the watermarks are never used. */
  @Override
  public <T> WatermarkStrategy<T> eventTime(SerializableTimestampAssigner<T> eventTime) {
    return WatermarkStrategy.<T>forMonotonousTimestamps().withTimestampAssigner(eventTime);
  }

  @Override
  public void writeLines(DataStream<String> lines, Output what) {
    String name =
        switch (what) {
          case RESULTS -> "out";
          case ALERTS -> "alerts";
          case DEAD_LETTERS -> "dead";
        };
    FileSink<String> sink =
        FileSink.forRowFormat(new Path(output, name), new SimpleStringEncoder<String>("UTF-8"))
            .withBucketAssigner(new BasePathBucketAssigner<>())
            .withOutputFileConfig(
                OutputFileConfig.builder().withPartPrefix(name).withPartSuffix(".jsonl").build())
            .build();
    lines.sinkTo(sink).name("Write" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
  }
}
