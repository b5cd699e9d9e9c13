package dev.sluice.testing.kafka;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real {@link KafkaBroker} per test class, in this JVM: started before the first test, stopped
 * (and its data deleted) after the last. Tests and {@code @BeforeAll} methods receive it as a
 * parameter, as a {@link KafkaBroker} or as the {@link KafkaEndpoint} it is (what a test kit shared
 * with {@code conformance.KafkaProcessExtension} asks for).
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class MyKafkaTest {
 *   @Test
 *   void readsWhatWasWritten(KafkaBroker broker) {
 *     broker.createTopic("events", 2);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Give each test its own topic names: the broker is shared by the class's tests.
 *
 * <p>A broker that requires SASL/SCRAM logins ({@link KafkaBroker#startSecured}):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.secured(Map.of("alice", pw));
 * }</pre>
 */
public final class KafkaBrokerExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
  private static final String KEY = "broker";

  private final Supplier<KafkaBroker> starter;

  /** An open broker (no login), as {@code @ExtendWith(KafkaBrokerExtension.class)} makes. */
  public KafkaBrokerExtension() {
    this(KafkaBroker::start);
  }

  private KafkaBrokerExtension(Supplier<KafkaBroker> starter) {
    this.starter = starter;
  }

  /**
   * A broker whose clients log in with SASL/SCRAM as one of {@code users} (name to password);
   * register it on a static field with {@code @RegisterExtension}.
   */
  public static KafkaBrokerExtension secured(Map<String, String> users) {
    Map<String, String> copy = Map.copyOf(users);
    return new KafkaBrokerExtension(() -> KafkaBroker.startSecured(copy));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(KEY, starter.get());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    KafkaBroker broker = context.getStore(NAMESPACE).remove(KEY, KafkaBroker.class);
    if (broker != null) {
      broker.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaBroker.class || type == KafkaEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // A method's store falls back to its class's store, where beforeAll put the broker.
    KafkaBroker broker = context.getStore(NAMESPACE).get(KEY, KafkaBroker.class);
    if (broker == null) {
      throw new IllegalStateException(
          "no Kafka broker: register KafkaBrokerExtension on the class");
    }
    return broker;
  }
}
