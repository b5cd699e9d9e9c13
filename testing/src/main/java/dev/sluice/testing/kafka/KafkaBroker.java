package dev.sluice.testing.kafka;

import dev.sluice.launcher.service.LocalService;
import dev.sluice.pipelines.io.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * Kafka's own KRaft broker (one node that is broker and controller), in this JVM, on 127.0.0.1 and
 * free ports, with the client helpers of a {@link KafkaEndpoint}. Tests get one per class through
 * {@link KafkaBrokerExtension}; users get one in its own JVM through {@code ./sluice kafka start}
 * ({@link KafkaBrokerMain}), and so do tests whose classpath cannot hold it ({@link
 * KafkaProcessExtension}).
 *
 * <p>Settings chosen for a single developer node: replication factors and minimum in-sync replicas
 * of 1, no initial rebalance delay (a new consumer group starts at once), one partition for the
 * internal offsets and transactions topics (created in milliseconds rather than seconds), no
 * automatic topic creation (a misspelled topic is an error, not a new empty topic) and no
 * time-based retention: records keep their own event times, which may be years old, and must not be
 * deleted for it.
 *
 * <p>{@link #startSecured} starts it with SASL/SCRAM ({@value ScramUser#MECHANISM}) on its one
 * client listener: every client, and the broker itself on its inter-broker listener, logs in; the
 * controller's listener stays PLAINTEXT, on 127.0.0.1 only. The users are created when the storage
 * is formatted, before the broker first listens. No authorizer: a user who logs in may do anything,
 * which is what a developer's broker needs (authentication, not access control).
 */
public final class KafkaBroker extends KafkaEndpoint implements AutoCloseable {
  /** How long {@link #start} waits for the broker to answer before giving up. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final boolean deleteOnClose;
  private final KafkaRaftServer server;

  /** The broker's own SCRAM user (its helpers log in as it); null for an open broker. */
  private final ScramUser brokerUser;

  private final Map<String, ScramUser> users;

  private KafkaBroker(
      Path dataDir,
      boolean deleteOnClose,
      int port,
      KafkaRaftServer server,
      ScramUser brokerUser,
      Map<String, ScramUser> users) {
    super("127.0.0.1:" + port, brokerUser == null ? Map.of() : brokerUser.clientConfig());
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.server = server;
    this.brokerUser = brokerUser;
    this.users = users;
  }

  /** Starts a throw-away broker on free ports; its data is deleted on {@link #close()}. */
  public static KafkaBroker start() {
    try {
      return start(Files.createTempDirectory("sluice-kafka-"), 0, true, null, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the Kafka broker's data", e);
    }
  }

  /**
   * Starts a broker that keeps its data in {@code dataDir} (formatted on first use, reused after)
   * and listens on {@code port} (0: a free one).
   */
  public static KafkaBroker start(Path dataDir, int port) {
    return start(dataDir, port, false, null, Map.of());
  }

  /**
   * Starts a throw-away broker on free ports whose client listener requires SASL/SCRAM ({@value
   * ScramUser#MECHANISM}) with one of {@code users} (name to password); see {@link ScramUser} for
   * the characters allowed. {@link #clientProperties} writes a user's client settings for a
   * pipeline's {@code config=}; this class's own helpers ({@link #admin}, {@link #send}, {@link
   * #readAll}, {@link #createTopic}) log in as the broker's own user.
   */
  public static KafkaBroker startSecured(Map<String, String> users) {
    Map<String, ScramUser> scramUsers = new LinkedHashMap<>();
    users.forEach((name, password) -> scramUsers.put(name, ScramUser.of(name, password)));
    ScramUser brokerUser = ScramUser.of("sluice-broker", "b-" + UUID.randomUUID());
    if (scramUsers.containsKey(brokerUser.name())) {
      throw new IllegalArgumentException(
          "SCRAM user name '" + brokerUser.name() + "' is the broker's own; choose another");
    }
    try {
      return start(
          Files.createTempDirectory("sluice-kafka-"), 0, true, brokerUser, Map.copyOf(scramUsers));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the Kafka broker's data", e);
    }
  }

  private static KafkaBroker start(
      Path dataDir,
      int requestedPort,
      boolean deleteOnClose,
      ScramUser brokerUser,
      Map<String, ScramUser> users) {
    try {
      Files.createDirectories(dataDir);
      Path logDir = dataDir.resolve("log");
      int port = requestedPort == 0 ? LocalService.freePort() : requestedPort;
      int controllerPort = LocalService.freePort();
      Properties props = brokerProperties(logDir, port, controllerPort);
      List<ScramUser> toCreate = new ArrayList<>();
      if (brokerUser != null) {
        secure(props, port, controllerPort, brokerUser);
        toCreate.add(brokerUser);
        toCreate.addAll(users.values());
      }
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(dataDir, props, toCreate);
      }
      KafkaRaftServer server =
          new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      KafkaBroker broker = new KafkaBroker(dataDir, deleteOnClose, port, server, brokerUser, users);
      try {
        broker.awaitReady(READY_TIMEOUT);
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Kafka broker's folder " + dataDir, e);
    }
  }

  static Properties brokerProperties(Path logDir, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.retention.ms", "-1");
    return p;
  }

  /**
   * Turns the open client listener into a SASL_PLAINTEXT one with SCRAM, the broker logging in to
   * it (inter-broker) as {@code brokerUser}; the controller listener stays PLAINTEXT on 127.0.0.1.
   */
  private static void secure(Properties p, int port, int controllerPort, ScramUser brokerUser) {
    p.put(
        "listeners",
        "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
    p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    p.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("sasl.enabled.mechanisms", ScramUser.MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", ScramUser.MECHANISM);
    p.put(
        "listener.name.sasl_plaintext."
            + ScramUser.MECHANISM.toLowerCase(java.util.Locale.ROOT)
            + ".sasl.jaas.config",
        brokerUser.jaasConfig());
  }

  private static void format(Path dataDir, Properties props, List<ScramUser> users)
      throws IOException {
    Path config = dataDir.resolve("format.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "written by Sluice to format the broker's storage");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    List<String> args =
        new ArrayList<>(
            List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
    for (ScramUser user : users) {
      args.add("--add-scram");
      args.add(user.formatArgument());
    }
    int status;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      status = StorageTool.execute(args.toArray(new String[0]), print);
    } finally {
      Files.deleteIfExists(config); // it holds the broker's own password when secured
    }
    if (status != 0) {
      String said = output.toString(StandardCharsets.UTF_8);
      for (ScramUser user : users) {
        said = said.replace(user.password(), "[hidden]");
      }
      throw new IllegalStateException(
          "formatting the Kafka broker's storage in " + dataDir + " failed: " + said);
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      Admin admin = admin();
      try {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
      } catch (ExecutionException | TimeoutException e) {
        last = e;
      } finally {
        KafkaClients.close(admin);
      }
    }
    throw new IllegalStateException(
        "the Kafka broker on " + bootstrapServers() + " did not answer within " + timeout, last);
  }

  /** Whether clients must log in with SASL/SCRAM ({@link #startSecured}). */
  public boolean isSecured() {
    return brokerUser != null;
  }

  /**
   * Writes the Kafka client settings of {@code user} (one given to {@link #startSecured}) to a
   * properties file in this broker's data folder, deleted with it, and returns its path: the {@code
   * config=} of a pipeline's Kafka URI. The password is in the file only.
   */
  public Path clientProperties(String user) {
    ScramUser scramUser = users.get(user);
    if (scramUser == null) {
      throw new IllegalArgumentException(
          "no SCRAM user '" + user + "' on this broker; its users: " + users.keySet());
    }
    return scramUser.writeClientProperties(
        dataDir.resolve("clients").resolve(user + ".properties"));
  }

  /** The data folder. */
  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker (and deletes its data if it was a throw-away one). */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (deleteOnClose) {
      deleteRecursively(dataDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
    } catch (IOException e) {
      return; // best effort: a temporary folder left behind is not worth failing a test for
    }
    for (Path path : paths) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // same as above
      }
    }
  }
}
