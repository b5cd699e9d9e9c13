/**
 * Sluice's test kit: a real Kafka broker ({@code kafka}), deterministic generators ({@code
 * generate}), the conformance suite every runner module runs ({@code conformance}), {@link
 * dev.sluice.testing.JobRun}, the one way a test runs a job in its JVM (through the command line:
 * the exit code, each output's lines, the dead letters, the run's counters), and helpers to read a
 * job's output files.
 */
package dev.sluice.testing;
