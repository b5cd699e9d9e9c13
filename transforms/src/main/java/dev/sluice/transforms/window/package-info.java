/**
 * Event-time windows and panes: textual duration specs for flags and templates, and the pane labels
 * every windowed result carries ({@code EARLY}, {@code ON_TIME}, {@code LATE}).
 */
package dev.sluice.transforms.window;
