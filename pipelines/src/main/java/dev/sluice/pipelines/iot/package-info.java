/**
 * IoT sensor monitoring: device readings in, per-device statistics per sliding event-time window
 * and alerts (anomalies, silent devices) out, with the plain-Java reference model. Depends on
 * {@code dev.sluice.pipelines.io} and the transforms; nothing depends on it but the launcher.
 */
package dev.sluice.pipelines.iot;
