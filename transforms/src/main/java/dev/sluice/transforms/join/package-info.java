/**
 * Joins of keyed collections: two-way inner, left, right and full outer joins and N-way joins by
 * tag over {@code CoGroupByKey}, the same joins per window for streams, and a lookup join against a
 * small dimension table held in a side input.
 *
 * <p>Every result says explicitly which side is missing ({@link Side}, {@link Joined}, {@link
 * JoinRow}), never with a bare null; this package depends only on Beam's core SDK.
 */
package dev.sluice.transforms.join;
