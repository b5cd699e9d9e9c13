/**
 * The sliding-window word count: timestamped text lines in, per-word counts per sliding event-time
 * window out, with its plain-Java reference model.
 */
package dev.sluice.pipelines.wordcount;
