package dev.sluice.runners.benchmarks.nativeflink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.transforms.quality.InvalidRecordException;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.util.OutputTag;

/** Sources, sinks and settings the native Flink jobs share: what a Flink user would use. */
public final class NativeFlinkIo {
  private NativeFlinkIo() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Lines that do not parse: {"reason","raw"} JSON. */
  public static final OutputTag<String> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  static final TypeInformation<Tuple2<String, Long>> WORD_AND_COUNT =
      TypeInformation.of(new TypeHint<Tuple2<String, Long>>() {});

  /**
   * An embedded (local) Flink environment in batch mode with {@code parallelism} slots, every
   * address on loopback (as runners/flink/conf does for FlinkRunner {@code [local]}).
   */
  public static StreamExecutionEnvironment localBatchEnvironment(int parallelism) {
    Configuration conf = new Configuration();
    conf.setString("rest.address", "127.0.0.1");
    conf.setString("rest.bind-address", "127.0.0.1");
    conf.setString("rest.bind-port", "0");
    conf.setString("jobmanager.rpc.address", "127.0.0.1");
    conf.setString("jobmanager.bind-host", "127.0.0.1");
    conf.setString("taskmanager.host", "127.0.0.1");
    conf.setString("taskmanager.bind-host", "127.0.0.1");
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    // Bounded files: Flink's batch execution (sorted keyed inputs, no checkpoints), as FlinkRunner
    // runs a bounded Beam pipeline.
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    return env;
  }

  /** The text lines of a file or of every file in a folder. */
  static DataStream<String> readLines(StreamExecutionEnvironment env, String input) {
    FileSource<String> source =
        FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(input)).build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "ReadLines");
  }

  /** Writes lines as part files into {@code <output>/<name>/}. */
  static void writeLines(DataStream<String> lines, String output, String name) {
    FileSink<String> sink =
        FileSink.forRowFormat(new Path(output, name), new SimpleStringEncoder<String>("UTF-8"))
            .withBucketAssigner(new BasePathBucketAssigner<>())
            .withOutputFileConfig(
                OutputFileConfig.builder().withPartPrefix(name).withPartSuffix(".jsonl").build())
            .build();
    lines.sinkTo(sink).name("Write" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
  }

  /** A dead-letter line: the raw text and why it was refused. */
  static String deadLetter(String raw, InvalidRecordException e) {
    ObjectNode node = JSON.createObjectNode();
    node.put("reason", e.kind() + ": " + e.getMessage());
    node.put("raw", raw);
    return node.toString();
  }
}
