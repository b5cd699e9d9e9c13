/**
 * Sources and sinks chosen by URI, never by code: {@code file:} paths and globs of JSON lines
 * (compressed files too) read with each line's position, and JSON-lines file sinks.
 */
package dev.sluice.pipelines.io;
