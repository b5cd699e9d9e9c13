package dev.sluice.testing.postgres;

import dev.sluice.launcher.postgres.PostgresServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real {@link PostgresServer} per test class: started before the first test, stopped (and its
 * folder deleted) after the last; tests and {@code @BeforeAll} methods receive it as a parameter.
 * Give each test its own tables: the server is shared by the class's tests.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class ReadModelTest {
 *   @Test
 *   void upserts(PostgresServer db) throws Exception {
 *     try (Connection c = db.connect()) { ... }
 *   }
 * }
 * }</pre>
 */
public final class PostgresExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);
  private static final String KEY = "server";

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(KEY, PostgresServer.start());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    PostgresServer server = context.getStore(NAMESPACE).remove(KEY, PostgresServer.class);
    if (server != null) {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    PostgresServer server = context.getStore(NAMESPACE).get(KEY, PostgresServer.class);
    if (server == null) {
      throw new IllegalStateException(
          "no PostgreSQL server: register PostgresExtension on the class");
    }
    return server;
  }
}
