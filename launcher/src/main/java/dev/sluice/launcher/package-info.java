/**
 * The command line behind {@code ./sluice}: the job registry, option parsing and checking before
 * launch, help text, and one-line errors.
 */
package dev.sluice.launcher;
