/**
 * Real-time analytics of web access logs: Common/Combined Log Format and JSON lines in, per service
 * and status class over sliding event-time windows out (requests, latency percentiles, distinct
 * clients, error rate), with error-rate alerts beside, and its plain-Java reference model. Depends
 * on {@code dev.sluice.pipelines.io} and {@code dev.sluice.transforms} only.
 */
package dev.sluice.pipelines.logs;
