/**
 * Trending items: click events in; per category and sliding event-time window, the top items by
 * clicks with their distinct users out, with the plain-Java reference model. Depends on the shared
 * {@code dev.sluice.pipelines.io} and {@code dev.sluice.transforms} packages only.
 */
package dev.sluice.pipelines.trending;
