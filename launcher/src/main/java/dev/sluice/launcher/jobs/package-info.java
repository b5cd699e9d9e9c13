/**
 * The jobs {@code ./sluice} knows by name: each one's options class and how to build its pipeline.
 * The launcher and the templates read it; it reads only the pipelines.
 */
package dev.sluice.launcher.jobs;
