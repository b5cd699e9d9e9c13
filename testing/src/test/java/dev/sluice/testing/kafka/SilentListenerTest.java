package dev.sluice.testing.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.launcher.Sluice;
import dev.sluice.launcher.generate.GenerateMain;
import dev.sluice.launcher.kafka.KafkaTool;
import dev.sluice.testing.JobRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that talks to Kafka, pointed at a listener that accepts connections and never
 * answers (another service on the port, or a hung broker): each must end by itself, with a non-zero
 * exit and one line on stderr naming the address and what to check. A Kafka client's plain {@code
 * close()} would wait for ever here for its unanswered requests; a command that hangs fails this
 * test at {@link #DEADLINE_SECONDS} instead of hanging the build.
 *
 * <p>The commands are called by their entry points ({@code ./sluice kafka}, {@code ./sluice
 * generate}, {@code ./sluice run}) and run at once, each on its own thread, as each waits about its
 * network timeout (15 s) before it gives up. The deadline is generous: it catches a hang, not a
 * slow machine.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SilentListenerTest {
  /** Far beyond every command's own bound (15 s of waiting plus 5 s to close its clients). */
  private static final long DEADLINE_SECONDS = 150;

  /** What a command returned and printed on stderr. */
  private record Result(int code, String stderr) {
    @Override
    public String toString() {
      return "exit " + code + ", stderr:\n" + stderr;
    }
  }

  @TempDir static Path dir;

  private static SilentListener silent;
  private static ExecutorService commands;
  private static long deadlineNanos;
  private static Future<Result> status;
  private static Future<Result> produce;
  private static Future<Result> consume;
  private static Future<Result> generate;
  private static Future<Result> runInput;
  private static Future<Result> runOutput;

  @BeforeAll
  static void runEveryCommandAgainstASilentListener() throws IOException {
    silent = SilentListener.start();
    String address = silent.address();
    Path words = Files.writeString(dir.resolve("words.jsonl"), "{\"text\":\"a b\",\"ts\":0}\n");
    commands =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "silent-listener-command");
              thread.setDaemon(true); // a command that hangs must not keep the JVM alive
              return thread;
            });
    deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    status = kafkaTool("status", "--bootstrap=" + address);
    produce = kafkaTool("produce", "--bootstrap=" + address, "--topic=t");
    consume = kafkaTool("consume", "--bootstrap=" + address, "--topic=t");
    generate =
        command(
            err ->
                GenerateMain.run(
                    new String[] {"words", "--events=10", "--output=kafka://" + address + "/t"},
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    err));
    runInput =
        sluice(
            "run",
            "word-count",
            "--input=kafka://" + address + "/t",
            "--output=file:" + dir.resolve("from-kafka/out"));
    runOutput =
        sluice("run", "word-count", "--input=file:" + words, "--output=kafka://" + address + "/t");
  }

  @AfterAll
  static void stop() throws IOException {
    if (commands != null) {
      commands.shutdownNow();
    }
    if (silent != null) {
      silent.close();
    }
  }

  @Test
  void kafkaStatusEnds() throws Exception {
    Result result = await(status, "kafka status");

    assertEquals(KafkaTool.FAILED, result.code(), result.toString());
    assertOneLineNamingTheAddressAndWhatToCheck(result);
    assertThat(result.stderr(), containsString("no Kafka broker answers at " + silent.address()));
    assertThat(result.stderr(), containsString("waited 15 s for the broker"));
  }

  @Test
  void kafkaProduceEndsWithoutWriting() throws Exception {
    Result result = await(produce, "kafka produce");

    assertEquals(KafkaTool.FAILED, result.code(), result.toString());
    assertOneLineNamingTheAddressAndWhatToCheck(result);
    assertThat(result.stderr(), containsString("no Kafka broker answers at " + silent.address()));
    assertThat(result.stderr(), containsString("waited 15 s for the broker"));
  }

  @Test
  void kafkaConsumeEnds() throws Exception {
    Result result = await(consume, "kafka consume");

    assertEquals(KafkaTool.FAILED, result.code(), result.toString());
    assertOneLineNamingTheAddressAndWhatToCheck(result);
    assertThat(result.stderr(), containsString("no Kafka broker answers at " + silent.address()));
    assertThat(result.stderr(), containsString("waited 15 s for the broker"));
  }

  @Test
  void generateToKafkaEnds() throws Exception {
    Result result = await(generate, "generate --output=kafka://...");

    assertEquals(1, result.code(), result.toString());
    assertOneLineNamingTheAddressAndWhatToCheck(result);
    assertThat(
        result.stderr(),
        containsString("no answer from a Kafka broker at " + silent.address() + " within 15 s"));
  }

  @Test
  void runWithAKafkaInputEndsBeforeLaunch() throws Exception {
    Result result = await(runInput, "run --input=kafka://...");

    assertEquals(Sluice.USAGE, result.code(), result.toString());
    assertOneLineNamingTheAddressAndWhatToCheck(result);
    assertThat(
        result.stderr(),
        containsString(
            "--input: no answer from a Kafka broker at " + silent.address() + " within 15 s"));
  }

  @Test
  void runWithAKafkaOutputEndsBeforeLaunch() throws Exception {
    Result result = await(runOutput, "run --output=kafka://...");

    assertEquals(Sluice.USAGE, result.code(), result.toString());
    assertOneLineNamingTheAddressAndWhatToCheck(result);
    assertThat(
        result.stderr(),
        containsString(
            "--output: no answer from a Kafka broker at " + silent.address() + " within 15 s"));
  }

  private static void assertOneLineNamingTheAddressAndWhatToCheck(Result result) {
    assertEquals(1, result.stderr().lines().count(), result.toString());
    assertThat(result.stderr(), containsString(silent.address()));
    assertThat(result.stderr(), containsString("check the address and that the broker runs"));
    assertThat(result.stderr(), not(containsString("Exception")));
  }

  /** The command's result, failing (not hanging) if it has not ended by the shared deadline. */
  private static Result await(Future<Result> command, String what) throws Exception {
    try {
      return command.get(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      command.cancel(true);
      return fail(
          what
              + " against a listener that never answers had not ended "
              + DEADLINE_SECONDS
              + " s after it started: it hangs");
    } catch (ExecutionException e) {
      throw new AssertionError(what + " threw instead of failing in one line", e.getCause());
    }
  }

  private static Future<Result> kafkaTool(String... args) {
    return command(
        err ->
            KafkaTool.run(
                args,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                err));
  }

  private static Future<Result> sluice(String... args) {
    return commands.submit(
        () -> {
          JobRun.Result run = JobRun.command(args).run();
          return new Result(run.exitCode(), run.stderr());
        });
  }

  /** Runs a command on its own thread with stderr kept; {@code run} returns its exit code. */
  private static Future<Result> command(Function<PrintStream, Integer> run) {
    Callable<Result> task =
        () -> {
          ByteArrayOutputStream err = new ByteArrayOutputStream();
          int code;
          try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = run.apply(errStream);
          }
          return new Result(code, err.toString(StandardCharsets.UTF_8));
        };
    return commands.submit(task);
  }

  /**
   * A TCP listener on 127.0.0.1 that accepts every connection and then neither reads nor writes: to
   * a Kafka client, a broker that never answers.
   */
  private static final class SilentListener implements AutoCloseable {
    private final ServerSocket server;
    private final ConcurrentLinkedQueue<Socket> accepted = new ConcurrentLinkedQueue<>();
    private final Thread acceptor;

    private SilentListener(ServerSocket server) {
      this.server = server;
      this.acceptor = new Thread(this::acceptForEver, "silent-listener");
      acceptor.setDaemon(true);
    }

    static SilentListener start() throws IOException {
      SilentListener listener =
          new SilentListener(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      listener.acceptor.start();
      return listener;
    }

    String address() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    private void acceptForEver() {
      while (!server.isClosed()) {
        try {
          accepted.add(server.accept());
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : List.copyOf(accepted)) {
        socket.close();
      }
    }
  }
}
