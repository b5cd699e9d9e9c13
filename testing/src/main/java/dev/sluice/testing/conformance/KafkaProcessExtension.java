package dev.sluice.testing.conformance;

import dev.sluice.testing.kafka.KafkaEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Kafka broker per test class in a JVM of its own, started as a user starts one ({@code
 * ./sluice kafka start --port=0 --for=}{@value #LIFETIME}, {@link KafkaBrokerMain}) before the
 * first test and stopped by its PID ({@code ./sluice kafka stop}) after the last; tests receive its
 * {@link KafkaEndpoint}. For modules whose test classpath cannot hold the broker (Spark's: Scala
 * 2.12, the broker's 2.13); needs the system property {@code sluice.repo.root}, as the launcher
 * tests do. The lifetime bounds a broker whose test JVM died before stopping it.
 *
 * <pre>{@code
 * @ExtendWith(KafkaProcessExtension.class)
 * class MySparkKafkaTest {
 *   @Test
 *   void readsWhatWasWritten(KafkaEndpoint kafka) { ... }
 * }
 * }</pre>
 */
public final class KafkaProcessExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  /** Longer than a test class may run (surefire's fork timeout is 20 minutes). */
  static final String LIFETIME = "30m";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaProcessExtension.class);
  private static final String DIR = "dir";
  private static final String ENDPOINT = "endpoint";

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "kafka").toAbsolutePath()), "broker-");
    context.getStore(NAMESPACE).put(DIR, dir);
    LauncherConformance.Result start =
        LauncherConformance.sluice(
            "kafka", "start", "--dir=" + dir, "--port=0", "--for=" + LIFETIME);
    if (start.exitCode() != 0) {
      throw new IllegalStateException(
          "./sluice kafka start failed (exit " + start.exitCode() + "): " + start.output());
    }
    String bootstrap = Files.readString(dir.resolve("bootstrap")).strip();
    context.getStore(NAMESPACE).put(ENDPOINT, KafkaEndpoint.at(bootstrap));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Path dir = context.getStore(NAMESPACE).remove(DIR, Path.class);
    context.getStore(NAMESPACE).remove(ENDPOINT);
    if (dir == null) {
      return;
    }
    Optional<ProcessHandle> broker = pid(dir).flatMap(ProcessHandle::of);
    LauncherConformance.Result stop = LauncherConformance.sluice("kafka", "stop", "--dir=" + dir);
    // The stop sends SIGTERM and then SIGKILL by the same PID; make sure, without trusting it.
    if (broker.isPresent() && broker.get().isAlive()) {
      broker.get().destroyForcibly();
      broker.get().onExit().get(30, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "./sluice kafka stop left the broker running (killed now): " + stop.output());
    }
  }

  private static Optional<Long> pid(Path dir) {
    try {
      return Optional.of(Long.parseLong(Files.readString(dir.resolve("broker.pid")).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KafkaEndpoint endpoint = context.getStore(NAMESPACE).get(ENDPOINT, KafkaEndpoint.class);
    if (endpoint == null) {
      throw new IllegalStateException(
          "no Kafka broker: register KafkaProcessExtension on the class");
    }
    return endpoint;
  }
}
