/**
 * Dead-letter handling: raw records with their source position, parsing that routes every record
 * that cannot be parsed to a dead-letter output with the reason, counted in metrics, so no bad
 * record crashes a job or vanishes.
 */
package dev.sluice.transforms.quality;
