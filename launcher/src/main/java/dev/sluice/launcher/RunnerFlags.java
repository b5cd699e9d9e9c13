package dev.sluice.launcher;

import dev.sluice.pipelines.io.KafkaUri;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runner flags of a job, checked and completed before launch, the same for {@code run} and
 * {@code template run}: {@code --flinkMaster} and {@code --sparkMaster} must have a form the runner
 * takes and, for a cluster, the cluster must answer (else one line naming the flag and what to do,
 * instead of an engine's stack trace after a minute of retries); a job for a cluster stages the
 * runner's bundled jar ({@link BundledJar}, unless {@code --filesToStage} says otherwise) and gets
 * its relative {@code file:} paths made absolute (the cluster's processes run in other folders); a
 * Flink job gets the repository's loopback Flink configuration unless {@code --flinkConfDir} says,
 * and a live stream on Flink is checkpointed and submitted detached unless the flags say otherwise.
 */
final class RunnerFlags {
  /** How long a cluster may take to answer before the launch is refused. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);

  /** How often a live stream on Flink is checkpointed unless the flags say. */
  static final Duration STREAM_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

  private static final Pattern HOST_PORT =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9.-]*|\\[[0-9A-Fa-f:.]+\\]):([0-9]{1,5})");
  private static final Pattern SPARK_LOCAL =
      Pattern.compile("local(\\[([1-9][0-9]*|\\*)(,[1-9][0-9]*)?\\])?");

  /** Beam's SparkPipelineOptions default. */
  private static final String SPARK_DEFAULT_MASTER = "local[4]";

  private static final String FLINK_ALLOWED =
      "[local], [auto] or HOST:PORT (the REST address of a Flink session cluster, e.g."
          + " 127.0.0.1:8081)";
  private static final String SPARK_ALLOWED =
      "local, local[N], local[*] or spark://HOST:PORT (a Spark standalone master, e.g."
          + " spark://127.0.0.1:7077)";

  private RunnerFlags() {}

  /**
   * {@code flags} with the runner's flags checked and completed.
   *
   * @throws Sluice.UsageException naming the flag, the value and what is allowed or what to do
   */
  static String[] prepare(String[] flags, PrintStream err) {
    List<String> all = new ArrayList<>(Arrays.asList(flags));
    String runner = value(all, "runner").map(RunnerFlags::engine).orElse("direct");
    if (!List.of("direct", "flink", "spark").contains(runner)) {
      throw new Sluice.UsageException(
          "--runner: unknown runner '"
              + value(all, "runner").orElse("")
              + "'; allowed: direct|flink|spark (or DirectRunner, FlinkRunner, SparkRunner)");
    }
    boolean cluster;
    switch (runner) {
      case "flink":
        cluster = checkFlinkMaster(value(all, "flinkMaster").orElse("[local]"));
        flinkLiveStreamDefaults(all, err);
        if (value(all, "flinkConfDir").isEmpty()) {
          BundledJar.repositoryRoot()
              .map(root -> root.resolve("runners/flink/conf"))
              .filter(Files::isDirectory)
              .ifPresent(conf -> all.add("--flinkConfDir=" + conf));
        }
        break;
      case "spark":
        cluster = checkSparkMaster(value(all, "sparkMaster").orElse(SPARK_DEFAULT_MASTER));
        break;
      default:
        return flags;
    }
    if (!cluster) {
      return all.toArray(String[]::new);
    }
    List<String> prepared = new ArrayList<>();
    for (String flag : all) {
      prepared.add(absoluteFilePath(flag));
    }
    if (value(prepared, "filesToStage").isEmpty()) {
      prepared.add("--filesToStage=" + BundledJar.of(runner).fresh());
    }
    return prepared.toArray(String[]::new);
  }

  /**
   * A live stream on Flink (a Kafka input, {@code --input=kafka://...} without {@code stop=}) is
   * checkpointed, and the launch says so, unless {@code --checkpointingInterval} says otherwise:
   * without checkpoints Flink keeps no state through a failure and KafkaIO commits no offsets. It
   * is also submitted detached ({@code --attachedMode=false}) unless the flags say: FlinkRunner's
   * {@code run()} then returns while the stream runs, so the launcher holds its result and can
   * cancel it. A malformed URI is left for the job's own check (it names the flag).
   */
  private static void flinkLiveStreamDefaults(List<String> flags, PrintStream err) {
    Optional<String> input = value(flags, "input");
    if (input.isEmpty() || !KafkaUri.isKafka(input.get())) {
      return;
    }
    try {
      if (KafkaUri.parse("--input", input.get()).isBounded()) {
        return;
      }
    } catch (IllegalArgumentException e) {
      return;
    }
    if (value(flags, "attachedMode").isEmpty()) {
      flags.add("--attachedMode=false");
    }
    if (value(flags, "checkpointingInterval").isEmpty()) {
      flags.add("--checkpointingInterval=" + STREAM_CHECKPOINT_INTERVAL.toMillis());
      err.printf(
          "sluice: a live stream on Flink: checkpoints every %d s (--checkpointingInterval=%d; set"
              + " it to change, -1 to turn them off)%n",
          STREAM_CHECKPOINT_INTERVAL.toSeconds(), STREAM_CHECKPOINT_INTERVAL.toMillis());
    }
  }

  /** Whether the master is a cluster (not in-process); refuses a malformed or silent one. */
  private static boolean checkFlinkMaster(String master) {
    if (List.of("[local]", "[auto]", "[collection]").contains(master)) {
      return false;
    }
    Matcher hostPort = HOST_PORT.matcher(master);
    if (!hostPort.matches() || !validPort(hostPort.group(2))) {
      throw new Sluice.UsageException("--flinkMaster: '" + master + "' is not " + FLINK_ALLOWED);
    }
    String problem = flinkRestProblem(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
    if (problem != null) {
      throw new Sluice.UsageException(
          "--flinkMaster: "
              + problem
              + " at "
              + master
              + "; start one with ./sluice cluster flink start, or check the address"
              + " (./sluice cluster flink status)");
    }
    return true;
  }

  private static boolean checkSparkMaster(String master) {
    if (SPARK_LOCAL.matcher(master).matches()) {
      return false;
    }
    if (!master.startsWith("spark://")) {
      throw new Sluice.UsageException("--sparkMaster: '" + master + "' is not " + SPARK_ALLOWED);
    }
    // A standalone master, or several for high availability (spark://h1:p1,h2:p2).
    List<String> masters = Arrays.asList(master.substring("spark://".length()).split(",", -1));
    for (String address : masters) {
      Matcher hostPort = HOST_PORT.matcher(address);
      if (!hostPort.matches() || !validPort(hostPort.group(2))) {
        throw new Sluice.UsageException("--sparkMaster: '" + master + "' is not " + SPARK_ALLOWED);
      }
    }
    boolean answers =
        masters.stream()
            .map(HOST_PORT::matcher)
            .filter(Matcher::matches)
            .anyMatch(m -> accepts(m.group(1), Integer.parseInt(m.group(2))));
    if (!answers) {
      throw new Sluice.UsageException(
          "--sparkMaster: no Spark master answers at "
              + master
              + " within "
              + ANSWER_TIMEOUT.toSeconds()
              + " s; start one with ./sluice cluster spark start, or check the address"
              + " (./sluice cluster spark status)");
    }
    return true;
  }

  private static boolean validPort(String digits) {
    int port = Integer.parseInt(digits);
    return port >= 1 && port <= 65535;
  }

  /** Whether something accepts a TCP connection at host:port within the timeout. */
  private static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) ANSWER_TIMEOUT.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Null if a Flink REST endpoint answers at host:port ({@code GET /config} names a Flink version),
   * else what is wrong. Checked over HTTP, not only TCP: a port held by another service, or by a
   * process that accepts and never answers, would leave Beam's submission waiting.
   */
  private static String flinkRestProblem(String host, int port) {
    if (!accepts(host, port)) {
      return "no Flink cluster answers within " + ANSWER_TIMEOUT.toSeconds() + " s";
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(ANSWER_TIMEOUT).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/config"))
            .timeout(ANSWER_TIMEOUT)
            .GET()
            .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200 && response.body().contains("\"flink-version\"")) {
        return null;
      }
      return "the service is not a Flink cluster's REST API (GET /config answered HTTP "
          + response.statusCode()
          + ")";
    } catch (IOException e) {
      return "the service is not a Flink cluster's REST API (GET /config: "
          + Sluice.oneLine(String.valueOf(e.getMessage()))
          + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "the check was interrupted";
    }
  }

  /** {@code --x=file:relative} → {@code --x=file:/absolute}; other flags unchanged. */
  private static String absoluteFilePath(String flag) {
    int eq = flag.indexOf('=');
    if (!flag.startsWith("--") || eq < 0 || !flag.startsWith("file:", eq + 1)) {
      return flag;
    }
    String path = flag.substring(eq + 1 + "file:".length());
    if (path.startsWith("/")) {
      return flag;
    }
    return flag.substring(0, eq + 1) + "file:" + Path.of("").toAbsolutePath().resolve(path);
  }

  /** The engine a {@code --runner} value names: direct, flink, spark, or the value itself. */
  static String engine(String runner) {
    String name = runner.toLowerCase(Locale.ROOT);
    if (name.contains("flink")) {
      return "flink";
    }
    if (name.contains("spark")) {
      return "spark";
    }
    return name.contains("direct") ? "direct" : name;
  }

  /** The {@code --sparkMaster} of {@code flags}, or the SparkRunner's default. */
  static String sparkMaster(String[] flags) {
    return value(Arrays.asList(flags), "sparkMaster").orElse(SPARK_DEFAULT_MASTER);
  }

  /** The value of the last {@code --name=value} flag. */
  private static Optional<String> value(List<String> flags, String name) {
    Optional<String> found = Optional.empty();
    for (String flag : flags) {
      if (flag.startsWith("--" + name + "=")) {
        found = Optional.of(flag.substring(name.length() + 3));
      }
    }
    return found;
  }
}
