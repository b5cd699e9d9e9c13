package dev.sluice.launcher.generate;

import java.util.SplittableRandom;

/**
 * The event times every generator uses, so the knobs mean the same everywhere: event i at {@code
 * start + span * i / events}, moved back by up to {@code disorder}; a {@code lateShare} of events
 * moved back a further {@code lateBy} and reported late.
 */
public final class EventTimeline {
  private final GeneratorSettings settings;
  private boolean lastLate;

  public EventTimeline(GeneratorSettings settings) {
    this.settings = settings;
  }

  /** The event time of event {@code i} (epoch millis), drawn from {@code random}. */
  public long timeOf(int i, SplittableRandom random) {
    long start = settings.start().toEpochMilli();
    long base = start + settings.span().toMillis() * i / Math.max(1, settings.events());
    long t = base - random.nextLong(settings.disorder().toMillis() + 1);
    lastLate = settings.lateShare() > 0 && random.nextDouble() < settings.lateShare();
    if (lastLate) {
      t -= settings.lateBy().toMillis();
    }
    return Math.max(0, t);
  }

  /** Whether the last time drawn was made late. */
  public boolean wasLate() {
    return lastLate;
  }
}
