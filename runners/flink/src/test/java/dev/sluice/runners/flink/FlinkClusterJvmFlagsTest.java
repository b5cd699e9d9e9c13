package dev.sluice.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The Flink daemons FlinkCluster starts get the Java 17 flags the pom gives every Flink JVM: the
 * same list this test's own fork was started with, read from the one place the build writes it.
 */
class FlinkClusterJvmFlagsTest {
  @Test
  void theDaemonsGetTheJava17FlagsOfThisFork() {
    assertThat(FlinkCluster.JAVA_17_OPENS, hasItem("--add-opens=java.base/java.util=ALL-UNNAMED"));
    assertThat(
        ManagementFactory.getRuntimeMXBean().getInputArguments(),
        hasItems(FlinkCluster.JAVA_17_OPENS.toArray(String[]::new)));
  }
}
