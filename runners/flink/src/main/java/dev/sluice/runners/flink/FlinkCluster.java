package dev.sluice.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.service.EngineJvmFlags;
import dev.sluice.launcher.service.LocalService;
import dev.sluice.launcher.service.LocalService.NotReadyException;
import dev.sluice.launcher.service.LocalService.Stop;
import dev.sluice.launcher.service.LocalService.Watched;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local Flink 1.19 session cluster: one JobManager and one or more TaskManagers, each in its own
 * JVM on a given classpath, everything on 127.0.0.1. Behind {@code ./sluice cluster flink
 * start|stop|status} and usable from tests. Several TaskManagers make every shuffle of a job at
 * parallelism above the slots of one cross processes, as on a real cluster.
 *
 * <p>Its folder holds {@code conf/config.yaml}, the pid files {@code jobmanager.pid} and {@code
 * taskmanager-1.pid} ... {@code taskmanager-N.pid}, the logs {@code jobmanager.log} and {@code
 * taskmanager-I.log}, and {@code tmp/}. Jobs are submitted to {@link #master()} ({@code
 * --flinkMaster=127.0.0.1:PORT}) with the bundled jar as {@code --filesToStage}.
 */
public final class FlinkCluster {
  static final String JOB_MANAGER =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";

  /** Today's default shape: one TaskManager with 2 slots. */
  public static final int DEFAULT_TASK_MANAGERS = 1;

  public static final int DEFAULT_SLOTS = 2;

  /** Bounds of {@code --taskmanagers} and {@code --slots}: each TaskManager is a 2 GB JVM. */
  public static final int MAX_TASK_MANAGERS = 8;

  public static final int MAX_SLOTS = 16;

  /** Three JVMs starting on 2 cores that other builds keep busy took over 60 s. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static final String TASK_MANAGER_ROLE = "taskmanager";

  private final Path dir;
  private final int port;

  /** The classpath it was started on; null for a cluster found by its folder. */
  private final String classpath;

  /** How many TaskManagers it was started with, and their slots each (0 when found by folder). */
  private final int taskManagers;

  private final int slots;

  private FlinkCluster(Path dir, int port, String classpath, int taskManagers, int slots) {
    this.dir = dir;
    this.port = port;
    this.classpath = classpath;
    this.taskManagers = taskManagers;
    this.slots = slots;
  }

  /** The cluster's folder. */
  public Path dir() {
    return dir;
  }

  /** The REST port. */
  public int port() {
    return port;
  }

  /** What {@code --flinkMaster} takes: {@code 127.0.0.1:PORT}. */
  public String master() {
    return "127.0.0.1:" + port;
  }

  /** The REST API's address. */
  public String url() {
    return "http://" + master();
  }

  /** What {@code /overview} says about the cluster. */
  public record Overview(int taskManagers, int slotsTotal, int slotsAvailable, int jobsRunning) {}

  /** One job as {@code /jobs/overview} lists it. */
  public record JobInfo(String id, String name, String state, long durationMillis) {}

  /** A cluster that could not start, or a folder that already runs one. */
  public static final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClusterException(String message) {
      super(message);
    }
  }

  /** {@link #start(Path, int, String, boolean, int, int)} with the default shape. */
  public static FlinkCluster start(Path dir, int port, String classpath, boolean detach)
      throws IOException, InterruptedException {
    return start(dir, port, classpath, detach, DEFAULT_TASK_MANAGERS, DEFAULT_SLOTS);
  }

  /**
   * Writes {@code dir/conf/config.yaml}, starts a JobManager and {@code taskManagers} TaskManagers
   * of {@code slots} slots each on {@code classpath} (which must hold Flink's runtime) and waits,
   * at most {@link #START_TIMEOUT}, until the REST API on {@code port} reports all their slots. On
   * failure all are stopped again.
   *
   * @param detach start them in their own session ({@code setsid}), so that they outlive the
   *     terminal of a launcher; tests keep them attached
   */
  public static FlinkCluster start(
      Path dir, int port, String classpath, boolean detach, int taskManagers, int slots)
      throws IOException, InterruptedException {
    if (taskManagers < 1 || taskManagers > MAX_TASK_MANAGERS || slots < 1 || slots > MAX_SLOTS) {
      throw new ClusterException(
          String.format(
              "%d TaskManager(s) of %d slot(s): allowed are 1-%d TaskManagers of 1-%d slots",
              taskManagers, slots, MAX_TASK_MANAGERS, MAX_SLOTS));
    }
    Path home = dir.toAbsolutePath().normalize();
    String absoluteClasspath = absolute(classpath);
    Optional<FlinkCluster> running = running(home);
    if (running.isPresent()) {
      throw new ClusterException(
          "a Flink cluster from " + home + " is already running at " + running.get().url());
    }
    if (!LocalService.portIsFree(port)) {
      throw new ClusterException(
          "port " + port + " on 127.0.0.1 is taken; choose another with --port=N");
    }
    Path conf = home.resolve("conf");
    Files.createDirectories(conf);
    Files.createDirectories(home.resolve("tmp"));
    Files.createDirectories(home.resolve("plugins"));
    Files.deleteIfExists(home.resolve("jobmanager.pid"));
    for (Path pidFile : taskManagerPidFiles(home)) {
      Files.deleteIfExists(pidFile);
    }
    Files.writeString(
        conf.resolve("config.yaml"),
        config(home, port, LocalService.freePort(), slots, taskManagers * slots));

    FlinkCluster cluster = new FlinkCluster(home, port, absoluteClasspath, taskManagers, slots);
    // Log4j keeps logging until Flink has shut down (its own hook would stop first, and complain).
    List<String> jobManager =
        new ArrayList<>(java("-Xmx512m", "-Xms512m", "-Dlog4j2.shutdownHookEnabled=false"));
    jobManager.addAll(
        List.of("-cp", absoluteClasspath, JOB_MANAGER, "--configDir", conf.toString()));
    List<Watched> watched = new ArrayList<>();
    watched.add(
        new Watched(
            "JobManager",
            launch(jobManager, home, "jobmanager", detach),
            home.resolve("jobmanager.log")));
    // All TaskManagers share one config, so BashJavaUtils (a JVM of its own) is asked once.
    List<String> params = taskManagerParams(absoluteClasspath, conf);
    for (int i = 1; i <= taskManagers; i++) {
      watched.add(
          new Watched(
              "TaskManager " + i,
              cluster.launchTaskManager(i, params, detach),
              home.resolve(taskManagerRole(i) + ".log")));
    }

    try {
      LocalService.awaitReady(
          watched,
          () -> {
            Overview overview = cluster.overview();
            return overview.taskManagers() >= taskManagers
                    && overview.slotsTotal() >= taskManagers * slots
                ? Optional.empty()
                : Optional.of(
                    overview.taskManagers()
                        + " of "
                        + taskManagers
                        + " TaskManagers registered yet");
          },
          START_TIMEOUT,
          "the Flink cluster in " + home);
      return cluster;
    } catch (NotReadyException e) {
      cluster.stop();
      if (e.died().isPresent()) {
        throw new ClusterException(
            String.format(
                "the %s exited (status %d) before the cluster was ready; see %s",
                e.died().get().name(), e.exitValue(), e.died().get().log()));
      }
      throw new ClusterException(
          String.format(
              "the Flink cluster in %s was not ready within %d s (%s); stopped it. Logs: %s",
              home, START_TIMEOUT.toSeconds(), e.lastProblem(), home.resolve("*.log")));
    }
  }

  /** The cluster whose pid files in {@code dir} name a live JobManager, if any. */
  public static Optional<FlinkCluster> running(Path dir) throws IOException {
    Path home = dir.toAbsolutePath().normalize();
    Path conf = home.resolve("conf").resolve("config.yaml");
    if (processOf(home, "jobmanager", JOB_MANAGER).isEmpty() || !Files.exists(conf)) {
      return Optional.empty();
    }
    for (String line : Files.readAllLines(conf)) {
      if (line.startsWith("rest.port:")) {
        return Optional.of(
            new FlinkCluster(
                home, Integer.parseInt(line.substring("rest.port:".length()).trim()), null, 0, 0));
      }
    }
    return Optional.empty();
  }

  /** The cluster of folder {@code dir}, running or not (to stop what its pid files name). */
  public static FlinkCluster at(Path dir) {
    return new FlinkCluster(dir.toAbsolutePath().normalize(), 0, null, 0, 0);
  }

  /** TaskManager {@code index} (from 1): its pid file and log are named after this. */
  static String taskManagerRole(int index) {
    return TASK_MANAGER_ROLE + "-" + index;
  }

  /**
   * Every TaskManager pid file in {@code dir}, in name order: {@code taskmanager-I.pid}, and the
   * {@code taskmanager.pid} of a cluster started before there could be several.
   */
  private static List<Path> taskManagerPidFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().matches(TASK_MANAGER_ROLE + "(-[0-9]+)?\\.pid"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String roleOf(Path pidFile) {
    String name = pidFile.getFileName().toString();
    return name.substring(0, name.length() - ".pid".length());
  }

  private Process launchTaskManager(int index, List<String> params, boolean detach)
      throws IOException {
    Path conf = dir.resolve("conf");
    List<String> taskManager = new ArrayList<>(java(params.get(0).trim().split("\\s+")));
    taskManager.add("-Dlog4j2.shutdownHookEnabled=false");
    taskManager.addAll(List.of("-cp", classpath, TASK_MANAGER, "--configDir", conf.toString()));
    taskManager.addAll(Arrays.asList(params.get(1).trim().split("\\s+")));
    return launch(taskManager, dir, taskManagerRole(index), detach);
  }

  /**
   * Kills TaskManager 1 at once (SIGKILL: no shutdown, no goodbye to the JobManager), as a failing
   * machine would; the JobManager notices when its heartbeats fail (a few seconds, see {@link
   * #config}) and restarts the running jobs from their last completed checkpoint once slots are
   * back ({@link #startTaskManager}).
   *
   * @return the pid it killed
   */
  public long killTaskManager() throws InterruptedException {
    ProcessHandle tm =
        processOf(dir, taskManagerRole(1), TASK_MANAGER)
            .orElseThrow(() -> new ClusterException("no TaskManager 1 of " + dir + " is running"));
    tm.destroyForcibly();
    if (!LocalService.awaitExit(tm, STOP_TIMEOUT)) {
      throw new ClusterException(
          "TaskManager pid " + tm.pid() + " did not die of SIGKILL within " + STOP_TIMEOUT);
    }
    return tm.pid();
  }

  /**
   * Starts a new TaskManager 1 (after {@link #killTaskManager}) in the cluster this object started,
   * and waits, at most {@link #START_TIMEOUT}, until the JobManager counts all slots again.
   *
   * @return its pid
   */
  public long startTaskManager() throws IOException, InterruptedException {
    if (classpath == null) {
      throw new ClusterException(
          "only the FlinkCluster that started " + dir + " can add a TaskManager");
    }
    if (processOf(dir, taskManagerRole(1), TASK_MANAGER).isPresent()) {
      throw new ClusterException("TaskManager 1 of " + dir + " is already running");
    }
    Path log = dir.resolve(taskManagerRole(1) + ".log");
    Process tm = launchTaskManager(1, taskManagerParams(classpath, dir.resolve("conf")), false);
    try {
      // An IOException from the REST API (busy restarting a job) means: ask again.
      LocalService.awaitReady(
          List.of(new Watched("the new TaskManager", tm, log)),
          () -> {
            Overview overview = overview();
            return overview.taskManagers() >= taskManagers
                    && overview.slotsTotal() >= taskManagers * slots
                ? Optional.empty()
                : Optional.of("its slots are not registered yet");
          },
          START_TIMEOUT,
          "the new TaskManager of " + dir);
      return tm.pid();
    } catch (NotReadyException e) {
      if (e.died().isPresent()) {
        throw new ClusterException(
            "the new TaskManager exited (status " + e.exitValue() + "); see " + log);
      }
      throw new ClusterException(
          "the new TaskManager's slots were not registered within "
              + START_TIMEOUT.toSeconds()
              + " s; see "
              + log);
    }
  }

  /** What {@code /jobs/:id/checkpoints} counts: completed, failed and restored checkpoints. */
  public record Checkpoints(int completed, int failed, int restored) {}

  /** The checkpoint counts of job {@code jobId}. */
  public Checkpoints checkpoints(String jobId) throws IOException, InterruptedException {
    JsonNode counts = get("/jobs/" + jobId + "/checkpoints").path("counts");
    return new Checkpoints(
        counts.path("completed").asInt(),
        counts.path("failed").asInt(),
        counts.path("restored").asInt());
  }

  /** The state of job {@code jobId} ({@code RUNNING}, {@code RESTARTING}, {@code FINISHED}...). */
  public String jobState(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /** Cancels job {@code jobId} (no savepoint). */
  public void cancel(String jobId) throws IOException, InterruptedException {
    send("PATCH", "/jobs/" + jobId + "?mode=cancel", "");
  }

  /**
   * Stops job {@code jobId} with a savepoint in {@code targetDirectory} (Flink's "stop": sources
   * stop, a savepoint is taken, the job ends; without draining, so event-time windows stay open in
   * the savepoint rather than firing), waiting at most {@code timeout}.
   *
   * @return the savepoint's path, for {@code --savepointPath}
   */
  public String stopWithSavepoint(String jobId, Path targetDirectory, Duration timeout)
      throws IOException, InterruptedException {
    String body =
        JSON.createObjectNode()
            .put("targetDirectory", targetDirectory.toAbsolutePath().toUri().toString())
            .put("drain", false)
            .toString();
    String trigger =
        JSON.readTree(send("POST", "/jobs/" + jobId + "/stop", body)).path("request-id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
      if (status.path("status").path("id").asText().equals("COMPLETED")) {
        JsonNode operation = status.path("operation");
        if (operation.has("failure-cause")) {
          throw new ClusterException(
              "the savepoint of job "
                  + jobId
                  + " failed: "
                  + operation
                      .path("failure-cause")
                      .path("stack-trace")
                      .asText()
                      .lines()
                      .findFirst()
                      .orElse("?"));
        }
        return operation.path("location").asText();
      }
      Thread.sleep(250);
    }
    throw new ClusterException(
        "the savepoint of job " + jobId + " did not complete within " + timeout.toSeconds() + " s");
  }

  /** The pids of this cluster's live JobManager and TaskManagers, the JobManager first. */
  public List<Long> pids() {
    return new ArrayList<>(processes().values());
  }

  /**
   * The live processes of this cluster by name ({@code JobManager}, {@code TaskManager 1}, ...) and
   * pid, in that order.
   */
  public Map<String, Long> processes() {
    Map<String, Long> processes = new java.util.LinkedHashMap<>();
    processOf(dir, "jobmanager", JOB_MANAGER).ifPresent(p -> processes.put("JobManager", p.pid()));
    for (Path pidFile : taskManagerPidFiles(dir)) {
      processOf(dir, roleOf(pidFile), TASK_MANAGER)
          .ifPresent(p -> processes.put(label(roleOf(pidFile)), p.pid()));
    }
    return processes;
  }

  /**
   * "TaskManager 2" for role {@code taskmanager-2}, "TaskManager" for a lone {@code taskmanager}.
   */
  private static String label(String role) {
    return role.equals(TASK_MANAGER_ROLE)
        ? "TaskManager"
        : "TaskManager " + role.substring(TASK_MANAGER_ROLE.length() + 1);
  }

  /**
   * Stops the TaskManagers, then the JobManager: SIGTERM to exactly the pids in the pid files
   * (after checking that each is still that JVM of this folder), SIGKILL after {@link
   * #STOP_TIMEOUT}.
   *
   * @return a line per process saying what happened
   */
  public List<String> stop() throws InterruptedException {
    List<String> said = new ArrayList<>();
    List<Path> taskManagerPids = taskManagerPidFiles(dir);
    if (taskManagerPids.isEmpty()) {
      said.add("TaskManager: not running");
    }
    for (Path pidFile : taskManagerPids) {
      said.add(stopOne(roleOf(pidFile), TASK_MANAGER, label(roleOf(pidFile))));
    }
    said.add(stopOne("jobmanager", JOB_MANAGER, "JobManager"));
    return said;
  }

  private String stopOne(String role, String mainClass, String label) throws InterruptedException {
    Stop stop =
        LocalService.stop(dir.resolve(role + ".pid"), identity(dir, mainClass), STOP_TIMEOUT);
    return switch (stop.outcome()) {
      case NOT_RUNNING -> label + ": not running";
      case STALE_PID_FILE -> label + ": not running (removed a stale pid file)";
      case STOPPED ->
          String.format("%s (pid %d) stopped in %s s", label, stop.pid(), stop.seconds());
      case KILLED ->
          String.format(
              "%s (pid %d) did not stop within %d s of SIGTERM: killed it (SIGKILL)",
              label, stop.pid(), STOP_TIMEOUT.toSeconds());
      case STILL_RUNNING ->
          String.format("%s: could not be stopped: pid %d outlived SIGKILL", label, stop.pid());
    };
  }

  /** {@code /overview}. */
  public Overview overview() throws IOException, InterruptedException {
    JsonNode node = get("/overview");
    return new Overview(
        node.path("taskmanagers").asInt(),
        node.path("slots-total").asInt(),
        node.path("slots-available").asInt(),
        node.path("jobs-running").asInt());
  }

  /** {@code /jobs/overview}: every job the cluster knows, running or finished. */
  public List<JobInfo> jobs() throws IOException, InterruptedException {
    List<JobInfo> jobs = new ArrayList<>();
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      jobs.add(
          new JobInfo(
              job.path("jid").asText(),
              job.path("name").asText(),
              job.path("state").asText(),
              job.path("duration").asLong()));
    }
    return jobs;
  }

  private String send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  static String config(Path home, int restPort, int rpcPort, int slots, int parallelism) {
    return String.join(
        "\n",
        "# Written by ./sluice cluster flink start (FlinkCluster): a session cluster on loopback.",
        "jobmanager.rpc.address: 127.0.0.1",
        "jobmanager.rpc.port: " + rpcPort,
        "jobmanager.bind-host: 127.0.0.1",
        "rest.address: 127.0.0.1",
        "rest.bind-address: 127.0.0.1",
        "rest.port: " + restPort,
        "taskmanager.host: 127.0.0.1",
        "taskmanager.bind-host: 127.0.0.1",
        "taskmanager.numberOfTaskSlots: " + slots,
        "parallelism.default: " + parallelism,
        "jobmanager.memory.process.size: 1024m",
        "taskmanager.memory.process.size: 2048m",
        // Beam's batch plans have many shuffles: the default (~4 000 buffers) was too few for
        // iot-sensors and log-analytics at parallelism 2.
        "taskmanager.memory.network.min: 384m",
        "taskmanager.memory.network.max: 384m",
        "io.tmp.dirs: " + home.resolve("tmp"),
        // A TaskManager that dies is noticed when two heartbeats in a row fail (~4 s), not after
        // the default 50 s timeout; a slow (not dead) one still has 30 s.
        "heartbeat.interval: 2000",
        "heartbeat.timeout: 30000",
        "blob.server.port: 0",
        "taskmanager.rpc.port: 0",
        "taskmanager.data.port: 0",
        "metrics.internal.query-service.port: 0",
        "");
  }

  /**
   * What Flink's own {@code taskmanager.sh} asks {@code BashJavaUtils} for: the JVM memory flags
   * (first element) and the {@code -D} dynamic properties (second).
   */
  private static List<String> taskManagerParams(String classpath, Path conf)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(java("-Xmx128m"));
    command.addAll(
        List.of(
            "-cp",
            classpath,
            BASH_JAVA_UTILS,
            "GET_TM_RESOURCE_PARAMS",
            "--configDir",
            conf.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new ClusterException("BashJavaUtils GET_TM_RESOURCE_PARAMS did not answer within 60 s");
    }
    List<String> results = new ArrayList<>();
    for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith(RESULT_PREFIX)) {
        results.add(line.substring(RESULT_PREFIX.length()));
      }
    }
    if (process.exitValue() != 0 || results.size() < 2) {
      throw new ClusterException(
          "BashJavaUtils GET_TM_RESOURCE_PARAMS failed (status "
              + process.exitValue()
              + "): "
              + new String(out, StandardCharsets.UTF_8).trim());
    }
    return results.subList(results.size() - 2, results.size());
  }

  private static String absolute(String classpath) {
    return Arrays.stream(classpath.split(java.io.File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  /**
   * Flink 1.19's own {@code env.java.opts.all} add-opens for Java 17 (the pom's {@code
   * flink.jvm.flags}): this class starts the JVMs itself, not through Flink's scripts, so it passes
   * them; without them Kryo-serialized batch sorts (e.g. {@code @RequiresTimeSortedInput}) fail.
   */
  static final List<String> JAVA_17_OPENS = EngineJvmFlags.of(FlinkCluster.class);

  private static List<String> java(String... flags) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JAVA_17_OPENS);
    command.addAll(Arrays.asList(flags));
    return command;
  }

  private static Process launch(List<String> command, Path home, String role, boolean detach)
      throws IOException {
    return LocalService.launch(
        detach ? LocalService.detached(command) : command,
        // Flink looks for plugins in ./plugins otherwise, and warns that there is none.
        Map.of("FLINK_PLUGINS_DIR", home.resolve("plugins").toString()),
        null,
        home.resolve(role + ".log"),
        home.resolve(role + ".pid"));
  }

  /** The live process in {@code dir/<role>.pid}, if it is that role's JVM for this folder. */
  static Optional<ProcessHandle> processOf(Path dir, String role, String mainClass) {
    return LocalService.running(dir.resolve(role + ".pid"), identity(dir, mainClass));
  }

  /** What the command line of a JVM of this cluster holds: its main class and config folder. */
  private static List<String> identity(Path dir, String mainClass) {
    return List.of(mainClass, dir.resolve("conf").toString());
  }
}
