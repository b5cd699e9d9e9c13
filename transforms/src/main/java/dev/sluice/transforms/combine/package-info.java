/**
 * Building blocks for transforms that combine in two rounds (salted keys, window slices): a {@code
 * CombineFn} split into a step that emits accumulators and a step that merges them. Depends on Beam
 * core only.
 */
package dev.sluice.transforms.combine;
