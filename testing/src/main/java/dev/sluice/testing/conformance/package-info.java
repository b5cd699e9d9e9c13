/**
 * The conformance suite: abstract JUnit 5 tests that run Sluice's jobs through the command line on
 * one runner and compare the output with the reference models. Each runner module extends them with
 * its runner's flags.
 */
package dev.sluice.testing.conformance;
