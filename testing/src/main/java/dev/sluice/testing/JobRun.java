package dev.sluice.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.JobEnded;
import dev.sluice.launcher.JobWatcher;
import dev.sluice.launcher.RecordCounts;
import dev.sluice.launcher.Sluice;
import dev.sluice.pipelines.io.FileUris;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.pipelines.options.JobOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;

/**
 * The one way a test runs a job in this JVM: through the command line users run ({@link
 * Sluice#run}), in the spirit of Scio's {@code JobTest}. A job (or template) and its flags in; the
 * exit code, what was printed, the lines of each file output, the dead letters and the run's
 * counters out.
 *
 * <pre>{@code
 * JobRun.Result run =
 *     JobRun.of("word-count").args("--input=file:" + in, "--output=file:" + dir.resolve("out")).ok();
 * assertThat(run.lines(), equalTo(expected));          // <output>-*-of-*.jsonl, sorted
 * assertThat(run.lines(".alerts"), empty());           // <output>.alerts-*-of-*.jsonl
 * assertThat(run.counts().deadLetters(), equalTo(3L)); // the run's counters
 * }</pre>
 *
 * <p>A live stream is started with {@link #start} and stopped with {@link Live#stop}, which returns
 * the same kind of result once the job has ended.
 *
 * <p>Outputs are read where the options the job ran with say, so a template's run is read like a
 * job's. Only file outputs are read here; a Kafka topic is read with {@code
 * dev.sluice.launcher.kafka.Topics}, a database with its own client.
 */
public final class JobRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> args;

  private JobRun(List<String> command) {
    this.args = new ArrayList<>(command);
  }

  /** {@code ./sluice run <job>}; add its flags with {@link #args}. */
  public static JobRun of(String job) {
    return new JobRun(List.of("run", job));
  }

  /** {@code ./sluice template run <template> <args...>} ({@code --mode=}, {@code --param}, ...). */
  public static JobRun template(String template, String... args) {
    return new JobRun(List.of("template", "run", template)).args(args);
  }

  /** Any other {@code ./sluice} command ({@code list}, {@code template describe NAME}, ...). */
  public static JobRun command(String... args) {
    return new JobRun(Arrays.asList(args));
  }

  /** Adds flags, in order. */
  public JobRun args(String... more) {
    return args(Arrays.asList(more));
  }

  /** Adds flags, in order. */
  public JobRun args(List<String> more) {
    args.addAll(more);
    return this;
  }

  /** Runs it to its end and returns what came of it, whatever the exit code. */
  public Result run() {
    Launch launch = new Launch(args);
    launch.run();
    return launch.result();
  }

  /**
   * Starts it on a thread of its own and returns once the runner has accepted the job and it runs
   * (a live stream: the launcher holds its result while it runs), or fails if the launcher ended
   * first or {@code timeout} passed. Stop it with {@link Live#stop}.
   */
  public Live start(Duration timeout) {
    Launch launch = new Launch(args);
    Thread thread = new Thread(launch, "sluice " + String.join(" ", args.subList(0, 2)));
    thread.setDaemon(true);
    thread.start();
    try {
      if (!launch.launched.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        thread.interrupt();
        throw new AssertionError(
            "the job did not start within " + timeout + "; so far: " + launch.err.toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the job to start", e);
    }
    if (launch.running.get() == null) {
      Result result = launch.result();
      throw new AssertionError(
          "the launcher ended (exit "
              + result.exitCode()
              + ") before the job ran: "
              + result.stderr());
    }
    return new Live(launch, thread);
  }

  /** A job started by {@link #start}: running until {@link #stop}. */
  public static final class Live implements AutoCloseable {
    /** How long {@link #close} waits for a job it cancels to end. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final Launch launch;
    private final Thread thread;

    private Live(Launch launch, Thread thread) {
      this.launch = launch;
      this.thread = thread;
    }

    /** What came of the run if the launcher has ended already (the job failed), else empty. */
    public Optional<Result> endedEarly() {
      return thread.isAlive() ? Optional.empty() : Optional.of(launch.result());
    }

    /** What the launcher has printed so far (its progress lines). */
    public String stderr() {
      return launch.err.toString(StandardCharsets.UTF_8);
    }

    /** The job's result while it runs: its state, its metrics. */
    public PipelineResult result() {
      return launch.running.get();
    }

    /**
     * Cancels the job and waits, for at most {@code timeout}, until the launcher has ended; then
     * its outputs are complete and can be read. Returns what came of the run (a stream stopped this
     * way exits 0 with a "stopped (cancelled)" line and its counts).
     */
    public Result stop(Duration timeout) {
      // The runner may say no more about a job once it is cancelled (it can throw then): what
      // counts is that the launcher ends.
      String cancelProblem = "";
      if (thread.isAlive()) {
        try {
          result().cancel();
        } catch (IOException | RuntimeException e) {
          cancelProblem = " (the cancel threw " + e + ")";
        }
      }
      try {
        thread.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the job to end", e);
      }
      if (thread.isAlive()) {
        throw new AssertionError(
            "the launcher did not end within "
                + timeout
                + " of the cancel"
                + cancelProblem
                + ": "
                + launch.err);
      }
      return launch.result();
    }

    /** Stops the job if it still runs (the end of a test that failed on the way). */
    @Override
    public void close() {
      if (thread.isAlive()) {
        stop(CLOSE_TIMEOUT);
      }
    }
  }

  /** One launch through the command line, on whatever thread runs it. */
  private static final class Launch implements Runnable, JobWatcher {
    final List<String> args;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final AtomicReference<JobEnded> ended = new AtomicReference<>();
    final AtomicReference<PipelineResult> running = new AtomicReference<>();

    /** Counted down when the job runs or the launcher has ended, whichever comes first. */
    final CountDownLatch launched = new CountDownLatch(1);

    volatile int code;

    Launch(List<String> args) {
      this.args = List.copyOf(args);
    }

    @Override
    public void run() {
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
          PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        code = Sluice.run(args.toArray(new String[0]), o, e, this);
      } finally {
        launched.countDown();
      }
    }

    @Override
    public void launched(PipelineResult result) {
      running.set(result);
      launched.countDown();
    }

    @Override
    public void ended(JobEnded end) {
      ended.set(end);
    }

    Result result() {
      return new Result(
          code,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8),
          Optional.ofNullable(ended.get()));
    }
  }

  /** {@link #run}, requiring exit 0 (a failure shows the stderr). */
  public Result ok() {
    Result result = run();
    assertThat(result.stderr(), result.exitCode(), is(Sluice.OK));
    return result;
  }

  /** What a run came to. Output lines are sorted: the order of shards is the runner's. */
  public static final class Result {
    private final int exitCode;
    private final String stdout;
    private final String stderr;
    private final Optional<JobEnded> ended;

    private Result(int exitCode, String stdout, String stderr, Optional<JobEnded> ended) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.ended = ended;
    }

    /** {@link Sluice#OK}, {@link Sluice#USAGE} or {@link Sluice#FAILED}. */
    public int exitCode() {
      return exitCode;
    }

    public String stdout() {
      return stdout;
    }

    /** Progress, the end-of-run summary, errors. */
    public String stderr() {
      return stderr;
    }

    /**
     * The last line on stderr: for a run refused before launch (exit 2), the one line that says
     * what is wrong; for a failed run, the line that says why.
     */
    public String error() {
      List<String> lines = stderr.strip().lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** Whether a job was launched (not refused before launch, not another command). */
    public boolean launched() {
      return ended.isPresent();
    }

    /** The job's counters at its end: records read, parsed, dead letters by kind, lines out. */
    public RecordCounts counts() {
      return ended.map(JobEnded::counts).orElseGet(RecordCounts::unknown);
    }

    /** The lines of {@code --output}, sorted. */
    public List<String> lines() {
      return lines("");
    }

    /** The lines of the side output {@code <output><suffix>} (e.g. {@code ".alerts"}), sorted. */
    public List<String> lines(String suffix) {
      return OutputFiles.sortedLines(Path.of(filePath("--output", options().getOutput() + suffix)));
    }

    /**
     * Every file output written beside {@code --output}, by suffix ({@code ""} for the output
     * itself, {@code ".alerts"}, {@code ".dead-letters"}, ...): so that none goes unchecked.
     */
    public Map<String, List<String>> outputs() {
      Path prefix = Path.of(filePath("--output", options().getOutput())).toAbsolutePath();
      Pattern shard =
          Pattern.compile(
              Pattern.quote(prefix.getFileName().toString()) + "(.*)-[0-9]+-of-[0-9]+\\.jsonl");
      Map<String, List<String>> outputs = new TreeMap<>();
      if (!Files.isDirectory(prefix.getParent())) {
        return outputs; // nothing written
      }
      try (Stream<Path> files = Files.list(prefix.getParent())) {
        files.forEach(
            f -> {
              Matcher m = shard.matcher(f.getFileName().toString());
              if (m.matches() && !outputs.containsKey(m.group(1))) {
                outputs.put(m.group(1), lines(m.group(1)));
              }
            });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return outputs;
    }

    /**
     * The dead-letter lines ({@code --deadLetters}, else {@code <output>.dead-letters}), sorted.
     */
    public List<String> deadLetterLines() {
      JobOptions options = options();
      String uri = options.getDeadLetters();
      if (uri == null || uri.isEmpty()) {
        uri = WriteLines.deadLettersFor(options.getOutput());
      }
      return OutputFiles.sortedLines(Path.of(filePath("--deadLetters", uri)));
    }

    /** The dead letters as JSON objects ({@code source}, {@code position}, {@code kind}, ...). */
    public List<JsonNode> deadLetters() {
      List<JsonNode> letters = new ArrayList<>();
      for (String line : deadLetterLines()) {
        try {
          letters.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new AssertionError("a dead letter that is not JSON: " + line, e);
        }
      }
      return letters;
    }

    private JobOptions options() {
      return ended
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no job ran (exit " + exitCode + "), so it wrote nothing: " + stderr))
          .options()
          .as(JobOptions.class);
    }

    private static String filePath(String flag, String uri) {
      if (!FileUris.isFile(uri) || uri.startsWith("jdbc:")) {
        throw new IllegalStateException(
            flag + " is " + uri + ", not a file: read a topic with Topics, a database directly");
      }
      return FileUris.toPath(flag, uri);
    }
  }
}
