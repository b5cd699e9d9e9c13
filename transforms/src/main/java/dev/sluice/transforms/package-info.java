/**
 * Sluice's reusable, runner-independent PTransforms, one package per family: {@code window}
 * (sliding windows, triggers, panes) and {@code quality} (dead letters) so far. Nothing here may
 * depend on a Flink or Spark artifact; the build enforces it.
 */
package dev.sluice.transforms;
