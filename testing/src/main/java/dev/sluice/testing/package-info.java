/**
 * Sluice's test kit: a real Kafka broker ({@code kafka}), deterministic generators ({@code
 * generate}), the conformance suite every runner module runs ({@code conformance}), and helpers to
 * read a job's output files.
 */
package dev.sluice.testing;
