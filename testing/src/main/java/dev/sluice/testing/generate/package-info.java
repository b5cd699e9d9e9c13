/** Seeded, deterministic generators of job input, for tests, demos and users. */
package dev.sluice.testing.generate;
