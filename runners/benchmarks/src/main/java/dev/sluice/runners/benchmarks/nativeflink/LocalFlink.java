package dev.sluice.runners.benchmarks.nativeflink;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded (local) Flink the native jobs run on: a mini cluster in this JVM with {@code
 * parallelism} slots, every address on loopback (as runners/flink/conf does for FlinkRunner {@code
 * [local]}).
 */
final class LocalFlink {
  private LocalFlink() {}

  /**
   * Batch mode, for bounded files: Flink's batch execution (sorted keyed inputs, no checkpoints),
   * as FlinkRunner runs a bounded Beam pipeline.
   */
  static StreamExecutionEnvironment batchEnvironment(int parallelism) {
    StreamExecutionEnvironment env = streamingEnvironment(parallelism);
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    return env;
  }

  /**
   * Streaming mode (Flink's default), for a live Kafka topic. No checkpoints: nothing is
   * exactly-once and nothing resumes, so the stream pays for no snapshots.
   */
  static StreamExecutionEnvironment streamingEnvironment(int parallelism) {
    Configuration conf = new Configuration();
    conf.setString("rest.address", "127.0.0.1");
    conf.setString("rest.bind-address", "127.0.0.1");
    conf.setString("rest.bind-port", "0");
    conf.setString("jobmanager.rpc.address", "127.0.0.1");
    conf.setString("jobmanager.bind-host", "127.0.0.1");
    conf.setString("taskmanager.host", "127.0.0.1");
    conf.setString("taskmanager.bind-host", "127.0.0.1");
    return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
  }
}
