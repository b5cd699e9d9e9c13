package dev.sluice.runners.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The Spark daemons SparkCluster starts get the Java 17 flags the pom gives every Spark JVM: the
 * same list this test's own fork was started with, read from the one place the build writes it.
 */
class SparkClusterJvmFlagsTest {
  @Test
  void theDaemonsGetTheJava17FlagsOfThisFork() {
    assertThat(SparkCluster.JAVA17_FLAGS, hasItem("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
    assertThat(
        ManagementFactory.getRuntimeMXBean().getInputArguments(),
        hasItems(SparkCluster.JAVA17_FLAGS.toArray(String[]::new)));
  }
}
