package dev.sluice.launcher.generate;

import java.time.Duration;
import java.time.Instant;

/**
 * The knobs every generator shares. Event i's time is {@code start + span * i / events}, moved back
 * by up to {@code disorder} (out of order within a bound); a {@code lateShare} of events is moved
 * back a further {@code lateBy} (late in a stream: behind the watermark); a {@code malformedShare}
 * of records is broken in ways the job's parser refuses; {@code keys} and {@code skew} shape the
 * main key (devices, services, cards, items): {@code keys} distinct values drawn with Zipf exponent
 * {@code skew} (0 = uniform). The same settings always give the same records.
 */
public record GeneratorSettings(
    long seed,
    int events,
    Instant start,
    Duration span,
    Duration disorder,
    double lateShare,
    Duration lateBy,
    double malformedShare,
    int keys,
    double skew) {

  public GeneratorSettings {
    if (events < 0) {
      throw new IllegalArgumentException("--events must be 0 or more, was " + events);
    }
    if (span.isNegative() || span.isZero()) {
      throw new IllegalArgumentException("--span must be positive, was " + span);
    }
    if (disorder.isNegative() || lateBy.isNegative()) {
      throw new IllegalArgumentException("--disorder and --lateBy must not be negative");
    }
    checkShare("--late", lateShare);
    checkShare("--malformed", malformedShare);
    if (keys < 1) {
      throw new IllegalArgumentException("--keys must be at least 1, was " + keys);
    }
    if (skew < 0) {
      throw new IllegalArgumentException("--skew must be 0 (uniform) or more, was " + skew);
    }
  }

  private static void checkShare(String flag, double share) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException(flag + " must be a share in [0, 1], was " + share);
    }
  }

  /**
   * 1 000 events over one hour from 2026-01-01T00:00Z, up to 1 minute out of order, none late or
   * malformed, 20 keys with Zipf skew 1.1, seed 42.
   */
  public static GeneratorSettings defaults() {
    return new GeneratorSettings(
        42,
        1_000,
        Instant.parse("2026-01-01T00:00:00Z"),
        Duration.ofHours(1),
        Duration.ofMinutes(1),
        0.0,
        Duration.ofMinutes(30),
        0.0,
        20,
        1.1);
  }

  public GeneratorSettings withSeed(long v) {
    return new GeneratorSettings(
        v, events, start, span, disorder, lateShare, lateBy, malformedShare, keys, skew);
  }

  public GeneratorSettings withEvents(int v) {
    return new GeneratorSettings(
        seed, v, start, span, disorder, lateShare, lateBy, malformedShare, keys, skew);
  }

  public GeneratorSettings withStart(Instant v) {
    return new GeneratorSettings(
        seed, events, v, span, disorder, lateShare, lateBy, malformedShare, keys, skew);
  }

  public GeneratorSettings withSpan(Duration v) {
    return new GeneratorSettings(
        seed, events, start, v, disorder, lateShare, lateBy, malformedShare, keys, skew);
  }

  public GeneratorSettings withDisorder(Duration v) {
    return new GeneratorSettings(
        seed, events, start, span, v, lateShare, lateBy, malformedShare, keys, skew);
  }

  public GeneratorSettings withLate(double share, Duration by) {
    return new GeneratorSettings(
        seed, events, start, span, disorder, share, by, malformedShare, keys, skew);
  }

  public GeneratorSettings withMalformed(double v) {
    return new GeneratorSettings(
        seed, events, start, span, disorder, lateShare, lateBy, v, keys, skew);
  }

  public GeneratorSettings withKeys(int v) {
    return new GeneratorSettings(
        seed, events, start, span, disorder, lateShare, lateBy, malformedShare, v, skew);
  }

  public GeneratorSettings withSkew(double v) {
    return new GeneratorSettings(
        seed, events, start, span, disorder, lateShare, lateBy, malformedShare, keys, v);
  }
}
