package dev.sluice.runners.benchmarks.nativeflink;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.pipelines.io.KafkaUri;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a native Flink job as a stream on an embedded Flink: {@code NativeFlinkStream <job>
 * --input=kafka://HOST:PORT/TOPIC[?out-of-order=2s&idle=10s&start=earliest]
 * --output=kafka://HOST:PORT/TOPIC [--windowSize=10s] [--windowPeriod=2s] [--parallelism=2]}, the
 * Kafka URIs of {@code ./sluice run} ({@link NativeFlinkKafkaIo} says which topics it writes; the
 * caller creates them). Once the job is submitted it prints one line with {@value #UNTIL_STOPPED}
 * to standard error, as {@code ./sluice run} does for a stream, and runs until the job fails or the
 * JVM is stopped (Ctrl-C, SIGTERM), which cancels it.
 */
@Command(
    name = "native-flink-stream",
    description = "A job as a native Flink job, embedded, streaming from Kafka to Kafka.")
public final class NativeFlinkStream implements Callable<Integer> {
  /** What the line printed once the job runs contains, which a caller waits for. */
  public static final String UNTIL_STOPPED = " until stopped: ";

  /** How long each step of stopping (cancel, then the job's end) may take. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  @Mixin NativeFlinkJobFlags flags;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "URI",
      description = "kafka://host:port/topic?out-of-order=...: the live input.")
  String input;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "URI",
      description = "kafka://host:port/topic: results; alerts and dead letters beside it.")
  String output;

  public static void main(String[] args) {
    System.exit(
        Cli.execute(new NativeFlinkStream(), "native-flink-stream", args, System.out, System.err));
  }

  @Override
  public Integer call() throws Exception {
    NativeFlinkJob job = flags.job();
    int parallelism = flags.parallelism();
    KafkaUri in = kafka("--input", input).forReading("--input");
    KafkaUri out = kafka("--output", output).forWriting("--output");
    checkStreamable(in, out);
    Running running = start(job, in, out, parallelism);
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "native-flink-stop"));
    System.err.println(
        "native-flink: "
            + job.name()
            + " runs on Flink [local] as "
            + running.jobName()
            + UNTIL_STOPPED
            + "Ctrl-C or SIGTERM");
    try {
      running.result().get();
      return Cli.OK; // an unbounded read never ends on its own, but if it does, it succeeded
    } catch (ExecutionException | CancellationException e) {
      if (running.stopping()) {
        return Cli.OK;
      }
      Throwable cause = ExceptionUtils.stripExecutionException(e);
      throw new Cli.Failure("native-flink: " + job.name() + " failed: " + cause, cause);
    }
  }

  private KafkaUri kafka(String flag, String uri) {
    try {
      return KafkaUri.parse(flag, uri);
    } catch (IllegalArgumentException e) {
      throw Cli.usage(spec, e.getMessage());
    }
  }

  /** Refuses what this stream cannot do rather than ignore it. */
  private void checkStreamable(KafkaUri in, KafkaUri out) {
    if (in.isBounded()) {
      throw Cli.usage(
          spec, "--input: stop= is not allowed; the native stream reads until it is stopped");
    }
    if (in.group() != null) {
      throw Cli.usage(
          spec,
          "--input: group= is not allowed; the native stream keeps no offsets (it takes no"
              + " checkpoints) and starts where start= says");
    }
    if (out.exactlyOnce()) {
      throw Cli.usage(
          spec,
          "--output: delivery=exactly-once is not allowed; the native stream takes no"
              + " checkpoints, so it writes at-least-once");
    }
  }

  /**
   * Submits {@code job} reading {@code input} and writing beside {@code output} to a new embedded
   * Flink in streaming mode with {@code parallelism} slots; returns once it is submitted.
   */
  public static Running start(NativeFlinkJob job, KafkaUri input, KafkaUri output, int parallelism)
      throws Exception {
    StreamExecutionEnvironment env = LocalFlink.streamingEnvironment(parallelism);
    job.build(env, new NativeFlinkKafkaIo(input, output));
    String name = "native-" + job.name();
    return new Running(name, env.executeAsync(name));
  }

  /**
   * A submitted stream. Closing it cancels the job and waits (bounded) for its end; its embedded
   * Flink then shuts itself down (a job submitted to a local environment owns its mini cluster).
   */
  public static final class Running implements AutoCloseable {
    private final String jobName;
    private final JobClient client;
    private final CompletableFuture<JobExecutionResult> result;
    private volatile boolean stopping;

    private Running(String jobName, JobClient client) {
      this.jobName = jobName;
      this.client = client;
      this.result = client.getJobExecutionResult();
    }

    public String jobName() {
      return jobName;
    }

    /** Completes when the job ends: never for a healthy stream, exceptionally if it failed. */
    public CompletableFuture<JobExecutionResult> result() {
      return result;
    }

    /** Whether {@link #close} was called (the job's end is then expected). */
    boolean stopping() {
      return stopping;
    }

    /** Cancels the job unless it already ended, and waits for its end; every wait is bounded. */
    @Override
    public void close() {
      stopping = true;
      if (result.isDone()) {
        return;
      }
      try {
        client.cancel().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        result.handle((r, e) -> null).get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // Stopping is best effort: the JVM exits anyway, and a test goes on to its next step.
        System.err.println(
            "native-flink: "
                + jobName
                + " did not stop cleanly within "
                + STOP_TIMEOUT.toSeconds()
                + " s: "
                + e);
      }
    }
  }
}
