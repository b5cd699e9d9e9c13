/**
 * A local Flink session cluster (JobManager and TaskManager in their own JVMs, on 127.0.0.1) for
 * {@code ./sluice cluster flink} and the tests that submit jobs to it. Depends on Flink's runtime
 * only through the classpath it is given; nothing in the pipelines depends on it.
 */
package dev.sluice.runners.flink;
