/**
 * Approximate distinct counting with mergeable HyperLogLog sketches ({@link
 * dev.sluice.transforms.distinct.ApproximateDistinct}, {@link
 * dev.sluice.transforms.distinct.DistinctSketch}, {@link
 * dev.sluice.transforms.distinct.MergeSketches}) and Bloom-filter de-duplication of streams ({@link
 * dev.sluice.transforms.distinct.ApproximateDeduplicate}), both built on Apache DataSketches. It
 * depends only on Beam core and DataSketches, and anything may use it.
 */
package dev.sluice.transforms.distinct;
