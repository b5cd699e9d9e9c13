/**
 * Sluice's jobs, each in a package of its own with its reference model, plus {@code io} (sources
 * and sinks chosen by URI) and {@code cli} (the command line behind {@code ./sluice}). Runner
 * independent: nothing here may depend on a Flink or Spark artifact.
 */
package dev.sluice.pipelines;
