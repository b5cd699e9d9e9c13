package dev.sluice.launcher;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.jobs.Job;
import dev.sluice.launcher.jobs.Jobs;
import dev.sluice.pipelines.options.JobOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;

/**
 * The command line behind {@code ./sluice}: {@code list}, {@code run <job> [flags]}, {@code run
 * <job> --help} and {@code template ...} ({@link TemplateCommand}). Every problem a user can fix
 * ends in one line on stderr that names it and a non-zero exit: 2 for a bad command, job name or
 * flag (found before launch, including what the runner cannot do: {@link Capabilities}), 1 for a
 * job that failed while running. {@code SLUICE_DEBUG=1} adds the stack trace. While a job runs,
 * {@link Progress} prints its counts every {@code --progressEvery}; at the end, a summary.
 */
public final class Sluice {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private static final Map<String, String> RUNNER_NAMES =
      Map.of("direct", "DirectRunner", "flink", "FlinkRunner", "spark", "SparkRunner");
  private static final Pattern UNKNOWN_PROPERTY =
      Pattern.compile("missing a property named '([^']*)'");
  private static final Pattern BAD_VALUE =
      Pattern.compile("Cannot deserialize value of type `([^`]+)` from String \"([^\"]*)\"");
  private static final Pattern MISSING =
      Pattern.compile("Missing required value for \\[(--\\S+), \"(.*)\"\\]");
  private static final Pattern EMPTY_VALUE =
      Pattern.compile("Empty argument value is only allowed for String.* but received: (\\S+)");

  /**
   * Who hears about a job launched on this thread: {@link #run(String[], PrintStream, PrintStream,
   * JobWatcher)}.
   */
  private static final ThreadLocal<JobWatcher> WATCHER = new ThreadLocal<>();

  private Sluice() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out, System.err);
    } catch (OutOfMemoryError e) {
      System.err.println(
          "sluice: the job ran out of memory (the DirectRunner keeps a batch job's data in memory);"
              + " give it more with JAVA_OPTS=-Xmx8g, or run it on --runner=flink or"
              + " --runner=spark");
      code = FAILED;
    }
    // exit, not return: a runner's worker threads may still be alive (after a failure) and would
    // keep the JVM running.
    System.exit(code);
  }

  /** Runs one command; returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      if (args.length == 0) {
        usage(err);
        return USAGE;
      }
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      boolean help = rest.length > 0 && (rest[0].equals("--help") || rest[0].equals("-h"));
      switch (args[0]) {
        case "list":
          if (help) {
            out.println(
                "Usage: ./sluice list\nThe jobs ./sluice run knows, each with what it does.");
            return OK;
          }
          list(out);
          return OK;
        case "run":
          if (help) {
            out.println(RUN_USAGE);
            return OK;
          }
          return runJob(rest, out, err);
        case "template":
          if (help) {
            out.println(TEMPLATE_USAGE);
            return OK;
          }
          return TemplateCommand.run(withTemplatesFolder(rest), out, err);
        case "help":
        case "--help":
        case "-h":
          usage(out);
          return OK;
        case "kafka":
          if (rest.length > 0 && rest[0].equals("bench")) {
            return RunnerCommand.KAFKA_BENCH.run(Arrays.copyOfRange(rest, 1, rest.length));
          }
          return Cli.execute(new Commands(), "sluice", args, out, err);
        case "ledger":
          return Cli.execute(new Commands(), "sluice", withLocalDatabase(args), out, err);
        case "generate":
        case "postgres":
          return Cli.execute(new Commands(), "sluice", args, out, err);
        case "demo":
          return RunnerCommand.DEMO.run(rest);
        case "bench":
          return RunnerCommand.BENCH.run(rest);
        case "cluster":
          return RunnerCommand.cluster(rest, out);
        default:
          throw new UsageException(
              "unknown command '" + args[0] + "'; commands: " + COMMANDS + " (./sluice --help)");
      }
    } catch (UsageException e) {
      err.println("sluice: " + e.getMessage());
      debug(e, err);
      return USAGE;
    }
  }

  private static final String COMMANDS =
      "demo, list, run, template, generate, kafka, postgres, ledger, cluster, bench, build, help";

  private static final String RUN_USAGE =
      String.join(
          "\n",
          "Usage: ./sluice run JOB [--flag=value ...]      run a job (./sluice list: the jobs)",
          "       ./sluice run JOB --help                  the job's flags, defaults and help",
          "Runner: --runner=direct (default) | flink [--flinkMaster=[local]|HOST:PORT]",
          "        | spark [--sparkMaster=local[N]|spark://HOST:PORT]; on a cluster the",
          "        bundled jar is staged and relative file: paths are made absolute.");

  private static final String TEMPLATE_USAGE =
      String.join(
          "\n",
          "Usage: ./sluice template list                  the templates in templates/",
          "       ./sluice template describe NAME         its modes and parameters",
          "       ./sluice template run NAME --mode=batch|stream --param NAME=VALUE ...",
          "                [--runner=direct|flink|spark] [runner flags]",
          "Every parameter is checked before launch, then the template's job runs as with run.");

  /** {@code template ...} reads the repository's templates/ unless {@code --templates} says. */
  private static String[] withTemplatesFolder(String[] args) {
    if (Arrays.stream(args).anyMatch(a -> a.startsWith("--templates="))) {
      return args;
    }
    return BundledJar.repositoryRoot()
        .map(root -> append(args, "--templates=" + root.resolve("templates")))
        .orElse(args);
  }

  /** {@code ledger query|history} reads the database of {@code ./sluice postgres start}. */
  private static String[] withLocalDatabase(String[] args) {
    boolean asks = args.length > 1 && (args[1].equals("query") || args[1].equals("history"));
    if (!asks || Arrays.stream(args).anyMatch(a -> a.startsWith("--db="))) {
      return args;
    }
    Path url = BundledJar.repositoryRoot().orElse(Path.of("")).resolve("target/postgres/jdbc-url");
    try {
      return Files.isRegularFile(url) ? append(args, "--db=" + Files.readString(url).trim()) : args;
    } catch (IOException e) {
      return args;
    }
  }

  static String[] append(String[] args, String arg) {
    String[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = arg;
    return all;
  }

  /**
   * {@link #run(String[], PrintStream, PrintStream)}, and when the command launched a job ({@code
   * run}, {@code template run}), {@code watcher} hears that it runs and how it ended: for a caller
   * in this JVM that checks a run (the test kit's job harness). Held for this thread rather than
   * passed along, so that every command that launches a job reports it without taking one more
   * parameter.
   */
  public static int run(String[] args, PrintStream out, PrintStream err, JobWatcher watcher) {
    WATCHER.set(watcher);
    try {
      return run(args, out, err);
    } finally {
      WATCHER.remove();
    }
  }

  private static void usage(PrintStream out) {
    out.println(
        String.join(
            "\n",
            "Usage: ./sluice COMMAND [flags]   (./sluice COMMAND --help: a command's flags)",
            "  demo          a live stream of log analytics over an embedded Kafka broker",
            "  list          the jobs",
            "  run JOB       run a job: --runner=direct|flink|spark; run JOB --help: its flags",
            "  template      list | describe NAME | run NAME --mode=batch|stream --param K=V ...",
            "  generate      deterministic input for a job, to a file or a topic (generate list)",
            "  kafka         start | stop | status | produce | consume | bench: a local broker",
            "  postgres      start | stop | status: a local PostgreSQL for the ledger",
            "  ledger        query | history ACCOUNT: the ledger's read model",
            "  cluster       flink | spark  start | stop | status: a local session cluster",
            "  bench         each job on every engine, side by side (events/s, memory, ratios)",
            "  build         (re)build every runner module with Maven, tests skipped",
            "Environment: SLUICE_LOG_LEVEL=INFO shows engine logs (default WARN); SLUICE_DEBUG=1",
            "adds stack traces to errors; JAVA_OPTS sets JVM flags (default -Xmx4g).",
            "Jobs: " + jobNames()));
  }

  private static void list(PrintStream out) {
    for (Job<?> job : Jobs.all()) {
      out.printf("%-14s %s%n", job.name(), job.description());
    }
  }

  /**
   * {@code run <job> <flags>} ({@code args} without "run"); a mistake found before launch is
   * thrown, for the caller to print (a template adds its name first).
   */
  static int runJob(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      throw new UsageException("run needs a job name; jobs: " + jobNames());
    }
    Job<?> job =
        Jobs.named(args[0])
            .orElseThrow(
                () ->
                    new UsageException(
                        "unknown pipeline '"
                            + args[0]
                            + "'; known: "
                            + jobNames()
                            + " (./sluice list)"));
    String[] flags = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.stream(flags).anyMatch(f -> f.equals("--help") || f.equals("-h"))) {
      OptionsHelp.print(job, out);
      return OK;
    }
    try {
      flags = RunnerFlags.prepare(flags, err);
    } catch (IllegalStateException | UncheckedIOException e) {
      err.println("sluice: " + oneLine(e.getMessage()));
      return FAILED;
    }
    PipelineOptions options = parse(job, flags);
    Pipeline pipeline;
    Duration progressEvery;
    try {
      progressEvery = JobOptions.progressEveryOf(options.as(JobOptions.class));
      pipeline = job.build(options);
    } catch (IllegalArgumentException e) {
      throw new UsageException(oneLine(e.getMessage()), e);
    }
    String runner = options.getRunner().getSimpleName();
    Capabilities.refusal(pipeline, runner)
        .ifPresent(
            why -> {
              throw new UsageException(job.name() + ": " + why);
            });
    Capabilities.sparkStreamRefusal(pipeline, job.name(), runner, RunnerFlags.sparkMaster(flags))
        .ifPresent(
            why -> {
              throw new UsageException(job.name() + ": " + why);
            });
    boolean stream = Capabilities.isStreaming(pipeline);
    long start = System.nanoTime();
    AtomicReference<PipelineResult> running = new AtomicReference<>();
    ProgressProbe probe = Progress.probeFor(options, running);
    PipelineResult result;
    PipelineResult.State state = null;
    try (Progress progress = Progress.start(job.name(), runner, progressEvery, probe, err)) {
      StoppableRun run = new StoppableRun(pipeline.run());
      result = run;
      running.set(result);
      JobWatcher watcher = WATCHER.get();
      if (watcher != null && !result.getState().isTerminal()) {
        watcher.launched(run);
      }
      if (stream) {
        err.printf(
            "sluice: %s runs on %s as %s until stopped: Ctrl-C, or kill -TERM %d, cancels it%n",
            job.name(), runner, options.getJobName(), ProcessHandle.current().pid());
      }
      Runnable removeStopOnSignal = StopOnSignal.install(run, job.name(), runner, err);
      try {
        state = awaitEnd(run);
      } finally {
        removeStopOnSignal.run();
      }
      if (state == PipelineResult.State.CANCELLED) {
        // A stream ends this way when it is stopped: not a failure; what it did is still news.
        err.printf(
            "sluice: %s stopped (cancelled) on %s after %.1f s%s%n",
            job.name(),
            runner,
            (System.nanoTime() - start) / 1e9,
            RecordCounts.of(result).summary());
        return OK;
      }
      if (state != PipelineResult.State.DONE) {
        err.printf("sluice: %s ended in state %s on %s%n", job.name(), state, runner);
        return FAILED;
      }
    } catch (RuntimeException e) {
      err.printf(
          "sluice: %s failed on %s: %s (SLUICE_DEBUG=1 shows the stack trace)%n",
          job.name(), runner, oneLine(rootCause(e)));
      debug(e, err);
      return FAILED;
    } finally {
      JobWatcher watcher = WATCHER.get();
      if (watcher != null) {
        PipelineResult ran = running.get();
        watcher.ended(
            new JobEnded(
                job.name(),
                options,
                state,
                ran == null ? RecordCounts.unknown() : RecordCounts.of(ran)));
      }
    }
    err.printf(
        "sluice: %s finished on %s in %.1f s%s%n",
        job.name(), runner, (System.nanoTime() - start) / 1e9, RecordCounts.of(result).summary());
    return OK;
  }

  /**
   * The job's final state; CANCELLED when it was asked to stop and the runner lost track of it on
   * the way (Flink's in-process cluster shuts down with a cancelled job).
   */
  private static PipelineResult.State awaitEnd(StoppableRun run) {
    try {
      return run.waitUntilFinish();
    } catch (RuntimeException e) {
      if (run.stopRequested()) {
        return PipelineResult.State.CANCELLED;
      }
      throw e;
    }
  }

  /** {@code run <job> <flags>}: what each job's {@code main} does; returns the exit code. */
  public static int runJob(String job, String[] flags) {
    String[] args = new String[flags.length + 2];
    args[0] = "run";
    args[1] = job;
    System.arraycopy(flags, 0, args, 2, flags.length);
    return run(args, System.out, System.err);
  }

  /**
   * The DirectRunner set up for running a job rather than testing one (DirectOptions, a runner
   * class this module must not name, so by flag), unless the user set these flags:
   *
   * <ul>
   *   <li>{@code --blockOnRun=false}: its run() blocks until the end otherwise; returning at once
   *       lets Progress ask the result while it runs;
   *   <li>{@code --enforceImmutability=false} and {@code --enforceEncodability=false}: test aids
   *       that copy and encode every element at every step; measured by ./sluice bench (see
   *       docs/benchmarks.md), they cost several times the job (TestPipeline keeps them on).
   * </ul>
   */
  private static String[] directRunnerForRunning(String[] flags) {
    List<String> all = new ArrayList<>(Arrays.asList(flags));
    for (String flag :
        List.of(
            "--blockOnRun=false", "--enforceImmutability=false", "--enforceEncodability=false")) {
      String name = flag.substring(0, flag.indexOf('='));
      if (all.stream().noneMatch(f -> f.equals(name) || f.startsWith(name + "="))) {
        all.add(flag);
      }
    }
    return all.toArray(String[]::new);
  }

  private static PipelineOptions parse(Job<?> job, String[] flags) {
    String[] normalized = Arrays.stream(flags).map(Sluice::runnerAlias).toArray(String[]::new);
    try {
      // No PipelineOptionsFactory.register: Beam checks every registered interface against the
      // others, so two jobs' options with one flag name but different defaults (--windowSize)
      // could not both run in one JVM. as(...) parses the job's own flags without it.
      PipelineOptions options =
          PipelineOptionsFactory.fromArgs(normalized).withValidation().as(job.optionsClass());
      if (options.getRunner().getSimpleName().equals("DirectRunner")) {
        String[] forRunning = directRunnerForRunning(normalized);
        if (forRunning.length > normalized.length) {
          options =
              PipelineOptionsFactory.fromArgs(forRunning).withValidation().as(job.optionsClass());
        }
      }
      return options;
    } catch (IllegalArgumentException e) {
      String message = oneLine(e.getMessage());
      Matcher unknown = UNKNOWN_PROPERTY.matcher(message);
      Matcher badValue = BAD_VALUE.matcher(message);
      Matcher emptyValue = EMPTY_VALUE.matcher(message);
      Matcher missing = MISSING.matcher(message);
      if (missing.find()) {
        message = String.format("%s is required: %s", missing.group(1), missing.group(2));
      } else if (unknown.find()) {
        message =
            String.format(
                "unknown flag --%s for %s; see ./sluice run %s --help",
                unknown.group(1), job.name(), job.name());
      } else if (badValue.find()) {
        message = badValueMessage(normalized, badValue.group(1), badValue.group(2));
      } else if (emptyValue.find()) {
        message = emptyValueMessage(job, normalized, emptyValue.group(1));
      } else if (message.contains("Unknown 'runner'")) {
        message += "; use --runner=direct|flink|spark through ./sluice, which picks its classpath";
      }
      throw new UsageException(message, e);
    }
  }

  /** Beam's message for a value of the wrong type does not name the flag: find it. */
  private static String badValueMessage(String[] flags, String type, String value) {
    String flag =
        Arrays.stream(flags)
            .filter(f -> f.startsWith("--") && f.endsWith("=" + value))
            .map(f -> f.substring(0, f.indexOf('=')))
            .findFirst()
            .orElse("a flag");
    return String.format(
        "%s: '%s' is not a valid %s; expected %s", flag, value, type, expected(type));
  }

  /**
   * Beam's message for an empty value of a typed flag ({@code --numShards=}) names the type only:
   * the flag is the empty one whose getter has that type (or the only empty one).
   */
  private static String emptyValueMessage(Job<?> job, String[] flags, String type) {
    List<String> empty =
        Arrays.stream(flags)
            .filter(f -> f.startsWith("--") && f.indexOf('=') == f.length() - 1)
            .map(f -> f.substring(0, f.length() - 1))
            .collect(Collectors.toList());
    String flag =
        empty.stream()
            .filter(f -> typeOf(job, f.substring(2)).equals(type))
            .findFirst()
            .orElse(empty.size() == 1 ? empty.get(0) : "a flag");
    return String.format("%s: the value is empty; expected %s", flag, expected(type));
  }

  /** The Java type ({@code int}, {@code java.lang.Double}, ...) of the job's option, or "". */
  private static String typeOf(Job<?> job, String name) {
    String getter = "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    String is = "is" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    return Arrays.stream(job.optionsClass().getMethods())
        .filter(m -> m.getParameterCount() == 0)
        .filter(m -> m.getName().equals(getter) || m.getName().equals(is))
        .map(m -> m.getReturnType().getName())
        .findFirst()
        .orElse("");
  }

  /** What a flag of a Java type {@code type} (as Jackson names it) accepts. */
  private static String expected(String type) {
    switch (type) {
      case "int":
      case "java.lang.Integer":
        return "a whole number up to " + Integer.MAX_VALUE;
      case "long":
      case "java.lang.Long":
        return "a whole number";
      case "double":
      case "float":
      case "java.lang.Double":
      case "java.lang.Float":
        return "a number, e.g. 0.5";
      case "boolean":
      case "java.lang.Boolean":
        return "true or false";
      default:
        return "a value of type " + type;
    }
  }

  /** {@code --runner=flink} → {@code --runner=FlinkRunner}; other flags unchanged. */
  private static String runnerAlias(String flag) {
    if (!flag.startsWith("--runner=")) {
      return flag;
    }
    String name = flag.substring("--runner=".length());
    String full = RUNNER_NAMES.get(name.toLowerCase(Locale.ROOT));
    return full == null ? flag : "--runner=" + full;
  }

  private static String jobNames() {
    return Jobs.all().stream().map(Job::name).collect(Collectors.joining(", "));
  }

  static String oneLine(String message) {
    return message == null ? "(no message)" : message.replaceAll("\\s+", " ").trim();
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static void debug(Throwable e, PrintStream err) {
    if ("1".equals(System.getenv("SLUICE_DEBUG"))) {
      e.printStackTrace(err);
    }
  }

  /** A problem with what the user typed, found before anything runs. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }

    UsageException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
