package dev.sluice.runners.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.service.EngineJvmFlags;
import dev.sluice.launcher.service.LocalService;
import dev.sluice.launcher.service.LocalService.NotReadyException;
import dev.sluice.launcher.service.LocalService.Outcome;
import dev.sluice.launcher.service.LocalService.Signal;
import dev.sluice.launcher.service.LocalService.Stop;
import dev.sluice.launcher.service.LocalService.Watched;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A local Spark standalone cluster on 127.0.0.1: one master and one or more workers, each in its
 * own JVM started from this JVM and left running when it exits. Several workers give an application
 * an executor JVM on each (the master spreads its cores out), so its shuffles cross processes, as
 * on a real cluster.
 *
 * <p>Everything lives in one folder: the pid files {@code master.pid} and {@code worker-1.pid} ...
 * {@code worker-N.pid}, the logs {@code master.log} and {@code worker-I.log}, {@code
 * spark-home/jars} (links to Spark's jars as this module resolved them, so that executors see the
 * same Jackson as the driver), each worker's work folder {@code work/worker-I} (executor logs) and
 * {@code cluster.properties} (the master's URL and web UI port).
 *
 * <p>{@link #stop} ends exactly the processes whose pids it wrote, after checking that each pid is
 * still that master or worker of that folder (a recycled pid is some other program).
 */
public final class SparkCluster {
  static final String MASTER_MAIN = "org.apache.spark.deploy.master.Master";
  static final String WORKER_MAIN = "org.apache.spark.deploy.worker.Worker";
  static final String MASTER_PID = "master.pid";
  static final String PROPERTIES = "cluster.properties";

  /** Today's default shape: one worker. */
  public static final int DEFAULT_WORKERS = 1;

  /** Bound of {@code --workers}: each worker is a JVM of 512 MB plus its executors. */
  public static final int MAX_WORKERS = 8;

  private static final String WORKER_ROLE = "worker";

  /** Marks our JVMs' command lines with their folder, to tell clusters apart. */
  static final String DIR_PROPERTY = "sluice.spark.cluster.dir";

  /**
   * Spark on Java 17 (the pom's {@code spark.jvm.flags}): executors get these from Spark, the
   * daemons from us.
   */
  static final List<String> JAVA17_FLAGS = EngineJvmFlags.of(SparkCluster.class);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dir;
  private final long masterPid;
  private final List<Long> workerPids;
  private final int port;
  private final int webUiPort;

  private SparkCluster(Path dir, long masterPid, List<Long> workerPids, int port, int webUiPort) {
    this.dir = dir;
    this.masterPid = masterPid;
    this.workerPids = List.copyOf(workerPids);
    this.port = port;
    this.webUiPort = webUiPort;
  }

  /**
   * What to start: ports, how many workers, and the cores and memory of each. The workers' web UIs
   * take any free port when {@code workerWebUiPort} is 0, else worker I takes {@code
   * workerWebUiPort + I - 1}.
   */
  public record Settings(
      Path dir,
      int port,
      int webUiPort,
      int workerWebUiPort,
      int workers,
      int cores,
      String memory,
      List<Path> sparkJars,
      Duration timeout) {}

  /** Why a cluster could not start, in one line; the logs say more. */
  public static final class StartException extends Exception {
    StartException(String message) {
      super(message);
    }
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  /** The master's web UI, whose {@code json/} gives the cluster's state. */
  public URI webUi() {
    return URI.create("http://127.0.0.1:" + webUiPort + "/");
  }

  public Path dir() {
    return dir;
  }

  /**
   * Starts a master and {@code settings.workers()} workers and waits, at most {@code
   * settings.timeout()}, until the master lists all of them as ALIVE. On failure all are stopped
   * again.
   */
  public static SparkCluster start(Settings settings) throws StartException, IOException {
    Path dir = settings.dir().toAbsolutePath().normalize();
    Optional<SparkCluster> running = running(dir);
    if (running.isPresent()) {
      throw new StartException(
          "a Spark cluster from " + dir + " is already running at " + running.get().masterUrl());
    }
    int workers = settings.workers();
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException(
          "--workers must be in [1, " + MAX_WORKERS + "], got " + workers);
    }
    List<Integer> ports = new ArrayList<>(List.of(settings.port(), settings.webUiPort()));
    for (int i = 1; i <= workers; i++) {
      ports.add(workerWebUiPort(settings, i));
    }
    for (int p : ports) {
      if (p != 0 && !LocalService.portIsFree(p)) {
        throw new StartException("port " + p + " on 127.0.0.1 is in use; pick another one");
      }
    }
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(MASTER_PID));
    for (Path pidFile : workerPidFiles(dir)) {
      Files.deleteIfExists(pidFile);
    }
    Path home = sparkHome(dir, settings.sparkJars());
    Path tmp = Files.createDirectories(dir.resolve("tmp"));

    String classpath = home.resolve("conf") + ":" + home.resolve("jars") + "/*";
    List<String> master =
        daemon(
            dir,
            classpath,
            tmp,
            MASTER_MAIN,
            "512m",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(settings.port()),
            "--webui-port",
            String.valueOf(settings.webUiPort()));

    Properties props = new Properties();
    props.setProperty("master.url", "spark://127.0.0.1:" + settings.port());
    props.setProperty("port", String.valueOf(settings.port()));
    props.setProperty("webui.port", String.valueOf(settings.webUiPort()));
    try (var out = Files.newBufferedWriter(dir.resolve(PROPERTIES))) {
      props.store(out, "written by ./sluice cluster spark start");
    }

    Process masterProcess =
        LocalService.launch(
            master,
            environment(home, tmp),
            null,
            dir.resolve("master.log"),
            dir.resolve(MASTER_PID));
    List<Watched> watched = new ArrayList<>();
    watched.add(new Watched("master", masterProcess, dir.resolve("master.log")));
    List<Long> workerPids = new ArrayList<>();
    try {
      launchWorkers(settings, dir, home, tmp, classpath, watched, workerPids);
    } catch (IOException e) { // the master and the workers so far would be left running
      stop(dir, Duration.ofSeconds(10));
      throw e;
    }
    SparkCluster cluster =
        new SparkCluster(
            dir, masterProcess.pid(), workerPids, settings.port(), settings.webUiPort());

    String webUi = "the master's web UI at " + cluster.webUi();
    try {
      LocalService.awaitReady(
          watched,
          () -> {
            try {
              long alive = cluster.status().aliveWorkers();
              return alive >= workers
                  ? Optional.empty()
                  : Optional.of(
                      alive + " of " + workers + " workers ALIVE in " + cluster.webUi() + "json/");
            } catch (IOException e) {
              return Optional.of(webUi); // not listening yet
            }
          },
          settings.timeout(),
          "the Spark cluster in " + dir);
      return cluster;
    } catch (NotReadyException e) {
      cluster.stop(Duration.ofSeconds(10));
      if (e.died().isPresent()) {
        throw new StartException(
            "the Spark "
                + e.died().get().name()
                + " exited before the cluster was ready; see "
                + e.died().get().log());
      }
      throw new StartException(
          "waited "
              + settings.timeout().toSeconds()
              + " s for "
              + e.lastProblem()
              + "; stopped the cluster again; logs in "
              + dir);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cluster.stop(Duration.ofSeconds(10));
      throw new StartException("interrupted while waiting for the Spark cluster; stopped it");
    }
  }

  /**
   * Starts workers 1 to {@code settings.workers()}, each with its own pid file, log and work
   * folder, adding each to {@code watched} and its pid to {@code pids}.
   */
  private static void launchWorkers(
      Settings settings,
      Path dir,
      Path home,
      Path tmp,
      String classpath,
      List<Watched> watched,
      List<Long> pids)
      throws IOException {
    for (int i = 1; i <= settings.workers(); i++) {
      String role = workerRole(i);
      Path work = Files.createDirectories(dir.resolve("work").resolve(role));
      List<String> worker =
          daemon(
              dir,
              classpath,
              tmp,
              WORKER_MAIN,
              "512m",
              "--host",
              "127.0.0.1",
              "--cores",
              String.valueOf(settings.cores()),
              "--memory",
              settings.memory(),
              "--webui-port",
              String.valueOf(workerWebUiPort(settings, i)),
              "--work-dir",
              work.toString(),
              "spark://127.0.0.1:" + settings.port());
      Process process =
          LocalService.launch(
              worker,
              environment(home, tmp),
              null,
              dir.resolve(role + ".log"),
              dir.resolve(role + ".pid"));
      pids.add(process.pid());
      watched.add(new Watched(label(role), process, dir.resolve(role + ".log")));
    }
  }

  /** The cluster whose pid files are in {@code dir}, if its master is running. */
  public static Optional<SparkCluster> running(Path dir) throws IOException {
    dir = dir.toAbsolutePath().normalize();
    Optional<Long> master = livePid(dir, MASTER_PID, MASTER_MAIN);
    if (master.isEmpty() || !Files.exists(dir.resolve(PROPERTIES))) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (var in = Files.newBufferedReader(dir.resolve(PROPERTIES))) {
      props.load(in);
    }
    return Optional.of(
        new SparkCluster(
            dir,
            master.get(),
            liveWorkers(dir),
            Integer.parseInt(props.getProperty("port")),
            Integer.parseInt(props.getProperty("webui.port"))));
  }

  /** The master's view: workers, cores, running applications ({@code json/} of its web UI). */
  public Status status() throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(webUi().resolve("json/")).timeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + request.uri(), e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(request.uri() + " answered HTTP " + response.statusCode());
    }
    return Status.of(JSON.readTree(response.body()));
  }

  /**
   * The processes of this cluster still alive: the master, the workers and the workers' children
   * (executors).
   */
  public List<ProcessHandle> processes() {
    List<Long> pids = new ArrayList<>();
    pids.add(masterPid);
    pids.addAll(workerPids);
    List<ProcessHandle> all = new ArrayList<>();
    for (long pid : pids) {
      ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .ifPresent(
              p -> {
                all.add(p);
                p.descendants().filter(ProcessHandle::isAlive).forEach(all::add);
              });
    }
    return all;
  }

  /**
   * Stops every worker (which ends its executors), then the master: SIGTERM, then SIGKILL after
   * {@code grace}. Only pids that are still this folder's master or workers are signalled;
   * executors a worker left behind are killed by pid too. Returns what it stopped, one line each.
   */
  public List<String> stop(Duration grace) throws IOException {
    return stop(dir, grace);
  }

  /** {@link #stop(Duration)} for the cluster whose pid files are in {@code dir}, even half dead. */
  public static List<String> stop(Path dir, Duration grace) throws IOException {
    dir = dir.toAbsolutePath().normalize();
    List<String> stopped = new ArrayList<>();
    for (Path pidFile : workerPidFiles(dir)) {
      String role = roleOf(pidFile);
      Optional<Long> worker = livePid(dir, pidFile.getFileName().toString(), WORKER_MAIN);
      if (worker.isPresent()) {
        stopped.add(terminate(worker.get(), label(role), grace));
      }
      Files.deleteIfExists(pidFile);
    }
    Optional<Long> master = livePid(dir, MASTER_PID, MASTER_MAIN);
    if (master.isPresent()) {
      stopped.add(terminate(master.get(), "the master", grace));
    }
    Files.deleteIfExists(dir.resolve(MASTER_PID));
    return stopped;
  }

  /** The pids of the live workers whose pid files are in {@code dir}, worker 1 first. */
  static List<Long> liveWorkers(Path dir) throws IOException {
    List<Long> pids = new ArrayList<>();
    for (Path pidFile : workerPidFiles(dir)) {
      livePid(dir, pidFile.getFileName().toString(), WORKER_MAIN).ifPresent(pids::add);
    }
    return pids;
  }

  /** Worker {@code index} (from 1): its pid file, log and work folder are named after this. */
  static String workerRole(int index) {
    return WORKER_ROLE + "-" + index;
  }

  /** Worker I's web UI port: any free one (0), or the given one counted up from worker 1. */
  private static int workerWebUiPort(Settings settings, int index) {
    return settings.workerWebUiPort() == 0 ? 0 : settings.workerWebUiPort() + index - 1;
  }

  /**
   * Every worker pid file in {@code dir}, in name order: {@code worker-I.pid}, and the {@code
   * worker.pid} of a cluster started before there could be several.
   */
  private static List<Path> workerPidFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().matches(WORKER_ROLE + "(-[0-9]+)?\\.pid"))
          .sorted()
          .toList();
    }
  }

  private static String roleOf(Path pidFile) {
    String name = pidFile.getFileName().toString();
    return name.substring(0, name.length() - ".pid".length());
  }

  /** "worker 2" for role {@code worker-2}, "the worker" for a lone {@code worker}. */
  private static String label(String role) {
    return role.equals(WORKER_ROLE)
        ? "the worker"
        : "worker " + role.substring(WORKER_ROLE.length() + 1);
  }

  /** Stops {@code pid}, named {@code label} ("the master", "worker 2") in the line it returns. */
  private static String terminate(long pid, String label, Duration grace) {
    ProcessHandle process = ProcessHandle.of(pid).orElse(null);
    if (process == null) {
      return label + " (pid " + pid + ") had already exited";
    }
    List<ProcessHandle> children = process.descendants().toList();
    try {
      Stop stop = LocalService.stop(process, Signal.TERM, grace);
      int leftovers = 0;
      for (ProcessHandle child : children) {
        if (child.isAlive()) {
          leftovers++;
          child.destroyForcibly();
          LocalService.awaitExit(child, Duration.ofSeconds(10));
        }
      }
      String line =
          String.format(
              "stopped %s (pid %d) in %s s%s",
              label,
              pid,
              stop.seconds(),
              stop.outcome() == Outcome.STOPPED
                  ? ""
                  : " (SIGKILL after " + grace.toSeconds() + " s)");
      return leftovers == 0 ? line : line + "; killed " + leftovers + " executor(s) it left behind";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while stopping " + label + " (pid " + pid + ")";
    }
  }

  /** The pid in {@code dir/file} if that process is alive and is {@code main} of this folder. */
  static Optional<Long> livePid(Path dir, String file, String main) throws IOException {
    // The folder's flag ends with a space: a folder whose name extends this one's is another.
    List<String> identity = List.of(main, "-D" + DIR_PROPERTY + "=" + dir + " ");
    return LocalService.running(dir.resolve(file), identity).map(ProcessHandle::pid);
  }

  /** {@code dir/spark-home}: {@code jars/} links to Spark's jars, {@code conf/} quiet logging. */
  private static Path sparkHome(Path dir, List<Path> jars) throws IOException {
    Path home = dir.resolve("spark-home");
    Path jarsDir = home.resolve("jars");
    if (Files.isDirectory(jarsDir)) {
      try (var old = Files.list(jarsDir)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(jarsDir);
    Set<String> names = new HashSet<>();
    int n = 0;
    for (Path jar : jars) {
      if (!jar.getFileName().toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
        continue;
      }
      String name = jar.getFileName().toString();
      if (!names.add(name)) {
        name = (++n) + "-" + name; // same file name from two groups
        names.add(name);
      }
      Files.createSymbolicLink(jarsDir.resolve(name), jar.toAbsolutePath());
    }
    if (names.stream().noneMatch(name -> name.startsWith("spark-core_"))) {
      throw new IOException("no spark-core jar among the " + names.size() + " jars given");
    }
    Path conf = Files.createDirectories(home.resolve("conf"));
    try (InputStream log4j = SparkCluster.class.getResourceAsStream("/log4j2.xml")) {
      if (log4j != null) {
        Files.copy(
            log4j, conf.resolve("log4j2.xml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return home;
  }

  private static List<String> daemon(
      Path dir, String classpath, Path tmp, String main, String heap, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(JAVA17_FLAGS);
    command.add("-D" + DIR_PROPERTY + "=" + dir);
    command.add("-Djava.io.tmpdir=" + tmp);
    command.add("-Dlog4j2.configurationFile=" + dir.resolve("spark-home/conf/log4j2.xml"));
    // A taken port is an error, not a silent move to the next one.
    command.add("-Dspark.port.maxRetries=0");
    command.add("-cp");
    command.add(classpath);
    command.add(main);
    command.addAll(List.of(args));
    return command;
  }

  /** What Spark's daemons and executors read from their environment. */
  private static Map<String, String> environment(Path home, Path tmp) {
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_DIRS", tmp.toString());
    if (System.getenv("SLUICE_LOG_LEVEL") == null) {
      env.put("SLUICE_LOG_LEVEL", "WARN");
    }
    return env;
  }

  /** The master's JSON status, reduced to what {@code status} prints. */
  public record Status(
      String masterState,
      List<Worker> workers,
      int cores,
      int coresUsed,
      List<String> runningApplications,
      int completedApplications) {

    /** One worker as the master sees it. */
    public record Worker(String id, String state, int cores, int coresUsed, long memoryMb) {}

    static Status of(JsonNode json) {
      List<Worker> workers = new ArrayList<>();
      for (JsonNode w : json.path("workers")) {
        workers.add(
            new Worker(
                w.path("id").asText(),
                w.path("state").asText(),
                w.path("cores").asInt(),
                w.path("coresused").asInt(),
                w.path("memory").asLong()));
      }
      List<String> apps = new ArrayList<>();
      for (JsonNode a : json.path("activeapps")) {
        apps.add(
            a.path("id").asText()
                + " '"
                + a.path("name").asText()
                + "' "
                + a.path("state").asText()
                + ", "
                + a.path("cores").asInt()
                + " cores");
      }
      return new Status(
          json.path("status").asText(),
          workers,
          json.path("cores").asInt(),
          json.path("coresused").asInt(),
          apps,
          json.path("completedapps").size());
    }

    public long aliveWorkers() {
      return workers.stream().filter(w -> w.state().equals("ALIVE")).count();
    }

    /** Several lines for a terminal. */
    public String describe() {
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              "master %s; %d ALIVE worker(s) of %d, %d cores (%d in use)%n",
              masterState, aliveWorkers(), workers.size(), cores, coresUsed));
      for (Worker w : workers) {
        out.append(
            String.format(
                "  worker %s %s: %d cores (%d in use), %d MB%n",
                w.id(), w.state(), w.cores(), w.coresUsed(), w.memoryMb()));
      }
      out.append(
          runningApplications.isEmpty()
              ? "no running applications"
              : "running applications:\n  "
                  + runningApplications.stream().collect(Collectors.joining("\n  ")));
      out.append(String.format("%n%d completed application(s)", completedApplications));
      return out.toString();
    }
  }
}
