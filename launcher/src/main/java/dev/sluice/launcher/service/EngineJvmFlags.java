package dev.sluice.launcher.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags every process of an engine needs on Java 17 (Flink's add-opens, Spark's), as the
 * build of the runner module wrote them onto its classpath from the pom's {@code engine.jvm.flags}:
 * the one list the test forks, {@code ./sluice} and the cluster daemons share. Classes that start
 * an engine's JVMs themselves (Flink's JobManager and TaskManagers, Spark's master and workers)
 * pass these, as the engines' own start scripts would.
 */
public final class EngineJvmFlags {
  /** Where the runner module's build puts the list (runners/engine-jvm/engine-jvm.flags). */
  static final String RESOURCE = "/dev/sluice/runners/engine-jvm.flags";

  private EngineJvmFlags() {}

  /** The flags on the classpath of {@code runnerClass}'s module, one per element. */
  public static List<String> of(Class<?> runnerClass) {
    try (InputStream in = runnerClass.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE
                + " is not on the classpath of "
                + runnerClass.getName()
                + ": build the runner module (mvn install) so that its JVM flags are written");
      }
      String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      return flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
