/**
 * The one command grammar of {@code ./sluice} ({@link dev.sluice.launcher.cli.Cli}): every tool
 * command, here and in the runner modules, builds its picocli command line through it. It reads
 * only the transforms (for durations), so any package may use it without a cycle.
 */
package dev.sluice.launcher.cli;
