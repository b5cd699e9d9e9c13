package dev.sluice.transforms.window;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * A sliding event-time window and its trigger policy, written as one line of text so that a flag or
 * a template parameter can set all of it:
 *
 * <pre>{@code
 * WindowSpec spec = WindowSpec.parse("size=10m,every=1m,early=30s,late=each,lateness=1h,accumulating");
 * PCollection<KV<String, Long>> counts =
 *     words.apply("Window", spec.<String>window()).apply(Count.perElement());
 * }</pre>
 *
 * <p>The grammar is a comma-separated list of {@code key=value} items and bare words, in any order,
 * each at most once:
 *
 * <ul>
 *   <li>{@code size=<duration>} (required): the window length, e.g. {@code 10m}.
 *   <li>{@code every=<duration>}: how often a window starts (the slide); at most the size; default
 *       the size (tumbling windows).
 *   <li>{@code early=<duration>|<n>|none}: speculative panes before the watermark passes the end of
 *       the window: one a processing-time delay after the first element of a pane, or one after
 *       every {@code n} elements; default {@code none}.
 *   <li>{@code late=each|<duration>|<n>|none}: panes for data that arrives after the on-time pane
 *       (within the allowed lateness): one per late element, one a processing-time delay after the
 *       first late element, or one every {@code n} late elements; default {@code each} when {@code
 *       lateness} is greater than zero, else {@code none}. Needs {@code lateness} greater than zero
 *       ({@code late=none} with a lateness is refused: the late data it accepts would be dropped
 *       without a trace).
 *   <li>{@code lateness=<duration>}: how long after the end of a window late data is still
 *       accepted; default {@code 0s}. Data later than that is dropped (and counted by the runner as
 *       {@code droppedDueToLateness}).
 *   <li>{@code accumulating} or {@code discarding}: whether a pane repeats what earlier panes of
 *       the same window held (accumulating) or carries only what is new (discarding, the default).
 * </ul>
 *
 * <p>Durations are a whole number and a unit {@code ms}, {@code s}, {@code m}, {@code h} or {@code
 * d} ({@link DurationSpec}). The on-time pane always fires when the watermark passes the end of the
 * window, even when it is empty after early panes ({@code FIRE_ALWAYS} on-time behaviour is Beam's
 * default), so every window that saw data has exactly one {@code ON_TIME} pane.
 *
 * <p><b>Bounded input.</b> {@link #windowFor} gives a bounded input (a batch) the windows without
 * their trigger: one final on-time pane per window. Flink runs no triggers in batch at all, and a
 * batch has no data to wait for, so early panes there would only differ from runner to runner; a
 * backfill and a live stream then agree on every window's final pane.
 */
public final class WindowSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final List<String> KEYS = List.of("size", "every", "early", "late", "lateness");
  private static final List<String> TRIGGER_KEYS = List.of("early", "late", "lateness");
  private static final String EXAMPLE =
      "e.g. size=10m,every=1m,early=30s,late=each,lateness=1h,accumulating";

  /**
   * When a speculative or late pane fires: never, after a processing-time delay, or a count.
   *
   * <pre>{@code
   * WindowSpec.parse("size=10m,early=30s").early().delay();   // 30 seconds
   * WindowSpec.parse("size=10m,early=100").early().count();   // 100
   * }</pre>
   */
  public static final class Firing implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Firing NONE = new Firing(null, 0);

    private final @Nullable Duration delay;
    private final int count;

    private Firing(@Nullable Duration delay, int count) {
      this.delay = delay;
      this.count = count;
    }

    public boolean isNone() {
      return delay == null && count == 0;
    }

    /** The processing-time delay, or null when the firing is by count or none. */
    public @Nullable Duration delay() {
      return delay;
    }

    /** The element count, or 0 when the firing is by delay or none. */
    public int count() {
      return count;
    }

    Trigger.@Nullable OnceTrigger trigger() {
      if (delay != null) {
        return AfterProcessingTime.pastFirstElementInPane().plusDelayOf(delay);
      }
      return count > 0 ? AfterPane.elementCountAtLeast(count) : null;
    }

    String text(boolean late) {
      if (delay != null) {
        return DurationSpec.format(delay);
      }
      if (count > 0) {
        return late && count == 1 ? "each" : String.valueOf(count);
      }
      return "none";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Firing
          && Objects.equals(delay, ((Firing) o).delay)
          && count == ((Firing) o).count;
    }

    @Override
    public int hashCode() {
      return Objects.hash(delay, count);
    }
  }

  private final Duration size;
  private final Duration every;
  private final Firing early;
  private final Firing late;
  private final Duration lateness;
  private final boolean accumulating;

  private WindowSpec(
      Duration size,
      Duration every,
      Firing early,
      Firing late,
      Duration lateness,
      boolean accumulating) {
    this.size = size;
    this.every = every;
    this.early = early;
    this.late = late;
    this.lateness = lateness;
    this.accumulating = accumulating;
  }

  /**
   * Parses a spec.
   *
   * @throws IllegalArgumentException naming the item that is wrong, its value and what is allowed
   */
  public static WindowSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("window spec is empty; " + EXAMPLE);
    }
    Items items = Items.parse("window spec", text, KEYS);
    if (!items.values.containsKey("size")) {
      throw new IllegalArgumentException("window spec: size is required; " + EXAMPLE);
    }
    Duration size = DurationSpec.parse("window spec size", items.values.get("size"));
    Duration every =
        items.values.containsKey("every")
            ? DurationSpec.parse("window spec every", items.values.get("every"))
            : size;
    return triggered("window spec", size, every, items, false);
  }

  /**
   * These windows with the trigger {@code text} gives: the items {@code early}, {@code late},
   * {@code lateness} and {@code accumulating} or {@code discarding} of {@link #parse}'s grammar
   * (the size and slide come from elsewhere, e.g. a job's {@code --windowSize} and {@code
   * --windowPeriod}). Empty text is the default trigger: one on-time pane per window.
   *
   * <pre>{@code
   * WindowSpec.sliding(Duration.standardMinutes(10), Duration.standardMinutes(1))
   *     .withTrigger("--trigger", "early=30s,accumulating");
   * }</pre>
   *
   * @param flag what to name in errors, e.g. {@code --trigger}
   * @throws IllegalArgumentException naming {@code flag}, the item that is wrong and what is
   *     allowed
   */
  public WindowSpec withTrigger(String flag, String text) {
    if (text == null || text.isBlank()) {
      return of(flag, size, every, Firing.NONE, Firing.NONE, Duration.ZERO, accumulating);
    }
    return triggered(flag, size, every, Items.parse(flag, text, TRIGGER_KEYS), accumulating);
  }

  /**
   * This spec with accumulating panes: each pane holds the window's result so far. With {@link
   * #withTrigger}, the mode the trigger text takes unless it names one.
   */
  public WindowSpec accumulatingPanes() {
    return new WindowSpec(size, every, early, late, lateness, true);
  }

  private static WindowSpec triggered(
      String what, Duration size, Duration every, Items items, boolean accumulatingUnlessSaid) {
    Firing early = firing(what, "early", items.values.getOrDefault("early", "none"), false);
    Duration lateness =
        items.values.containsKey("lateness")
            ? lateness(what, items.values.get("lateness"))
            : Duration.ZERO;
    // Allowed lateness without late firings would accept late data into windows whose trigger has
    // finished, where Beam drops it without a trace: late data then fires a pane per element.
    String lateDefault = lateness.isLongerThan(Duration.ZERO) ? "each" : "none";
    Firing late = firing(what, "late", items.values.getOrDefault("late", lateDefault), true);
    if (late.isNone() && lateness.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: late=none with lateness=%s would drop every late record the lateness accepts;"
                  + " give late=each (or a delay or count), or lateness=0s",
              what, DurationSpec.format(lateness)));
    }
    boolean accumulating = items.accumulating != null ? items.accumulating : accumulatingUnlessSaid;
    return of(what, size, every, early, late, lateness, accumulating);
  }

  /** The items of a spec's text: {@code key=value}s and the accumulation mode, if given. */
  private static final class Items {
    final Map<String, String> values = new LinkedHashMap<>();
    @Nullable Boolean accumulating;

    static Items parse(String what, String text, List<String> keys) {
      Items items = new Items();
      for (String raw : text.split(",", -1)) {
        String item = raw.trim();
        if (item.isEmpty()) {
          throw new IllegalArgumentException(
              String.format(
                  "%s '%s' has an empty item (two commas, or a trailing comma)", what, text));
        }
        String lower = item.toLowerCase(Locale.ROOT);
        if (lower.equals("accumulating") || lower.equals("discarding")) {
          if (items.accumulating != null) {
            throw new IllegalArgumentException(
                what + ": give accumulating or discarding once, not both or twice");
          }
          items.accumulating = lower.equals("accumulating");
          continue;
        }
        int eq = item.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException(
              String.format(
                  "%s: '%s' is neither key=value nor accumulating/discarding; keys: %s",
                  what, item, String.join(", ", keys)));
        }
        String key = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = item.substring(eq + 1).trim();
        if (!keys.contains(key)) {
          String where =
              KEYS.contains(key) ? " (the window's size and slide have their own options)" : "";
          throw new IllegalArgumentException(
              String.format(
                  "%s: unknown key '%s'%s; keys: %s, and the words accumulating or discarding",
                  what, key, where, String.join(", ", keys)));
        }
        if (items.values.put(key, value) != null) {
          throw new IllegalArgumentException(what + ": '" + key + "' is given twice");
        }
      }
      return items;
    }
  }

  /** Sliding windows of {@code size} every {@code every}, fired once on time, discarding. */
  public static WindowSpec sliding(Duration size, Duration every) {
    return of("window spec", size, every, Firing.NONE, Firing.NONE, Duration.ZERO, false);
  }

  private static WindowSpec of(
      String what,
      Duration size,
      Duration every,
      Firing early,
      Firing late,
      Duration lateness,
      boolean accumulating) {
    if (every.isLongerThan(size)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: every=%s is longer than size=%s; a window must start at least once"
                  + " per window length",
              what, DurationSpec.format(every), DurationSpec.format(size)));
    }
    if (!late.isNone() && !lateness.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          what
              + ": late="
              + late.text(true)
              + " needs lateness greater than zero (e.g. lateness=1h); without it no data is late"
              + " but accepted");
    }
    return new WindowSpec(size, every, early, late, lateness, accumulating);
  }

  private static Firing firing(String what, String key, String value, boolean late) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.equals("none")) {
      return Firing.NONE;
    }
    if (late && v.equals("each")) {
      return new Firing(null, 1);
    }
    if (v.matches("\\d{1,9}")) {
      int count = Integer.parseInt(v);
      if (count < 1) {
        throw new IllegalArgumentException(
            what + ": " + key + "=" + value + " must count at least one element");
      }
      return new Firing(null, count);
    }
    try {
      return new Firing(DurationSpec.parse(what + " " + key, value), 0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %s=%s is not allowed; use none, a processing-time delay such as 30s,"
                  + " or an element count such as 100%s",
              what, key, value, late ? ", or each" : ""),
          e);
    }
  }

  private static Duration lateness(String what, String value) {
    if (value.trim().matches("0+(ms|s|m|h|d)?")) {
      return Duration.ZERO;
    }
    return DurationSpec.parse(what + " lateness", value);
  }

  public Duration size() {
    return size;
  }

  public Duration every() {
    return every;
  }

  public Firing early() {
    return early;
  }

  public Firing late() {
    return late;
  }

  public Duration allowedLateness() {
    return lateness;
  }

  public boolean isAccumulating() {
    return accumulating;
  }

  /**
   * The trigger: on time at the watermark, with the early and late firings the spec asks for
   * (Beam's early and late firings repeat by themselves until the window closes).
   */
  public Trigger trigger() {
    AfterWatermark.FromEndOfWindow onTime = AfterWatermark.pastEndOfWindow();
    Trigger.OnceTrigger earlyTrigger = early.trigger();
    Trigger.OnceTrigger lateTrigger = late.trigger();
    if (earlyTrigger == null && lateTrigger == null) {
      return onTime;
    }
    if (lateTrigger == null) {
      return onTime.withEarlyFirings(earlyTrigger);
    }
    if (earlyTrigger == null) {
      return onTime.withLateFirings(lateTrigger);
    }
    return onTime.withEarlyFirings(earlyTrigger).withLateFirings(lateTrigger);
  }

  /** Whether this is the default trigger: one on-time pane per window, nothing early or late. */
  public boolean hasDefaultTrigger() {
    return early.isNone() && late.isNone() && !lateness.isLongerThan(Duration.ZERO);
  }

  /**
   * This spec with {@code lateness} as its allowed lateness (late firings {@code each} unless the
   * spec has some).
   */
  public WindowSpec withAllowedLateness(Duration lateness) {
    if (!lateness.isLongerThan(Duration.ZERO)) {
      return of("window spec", size, every, early, Firing.NONE, Duration.ZERO, accumulating);
    }
    Firing lateFiring = late.isNone() ? new Firing(null, 1) : late;
    return of("window spec", size, every, early, lateFiring, lateness, accumulating);
  }

  /**
   * The spec to window {@code input} with: this one for a stream, its windows with the default
   * trigger for a bounded input (see the class comment).
   */
  public WindowSpec windowFor(PCollection<?> input) {
    return input.isBounded() == PCollection.IsBounded.BOUNDED ? sliding(size, every) : this;
  }

  /** The Beam windowing transform this spec describes. */
  public <T> Window<T> window() {
    if (hasDefaultTrigger()) {
      // Beam's own default windowing, as a plain Window.into gives it: a later grouping that joins
      // this with plainly windowed inputs (CoGroupByKey) needs the very same trigger.
      return Window.into(SlidingWindows.of(size).every(every));
    }
    Window<T> window =
        Window.<T>into(SlidingWindows.of(size).every(every))
            .triggering(trigger())
            .withAllowedLateness(lateness);
    return accumulating ? window.accumulatingFiredPanes() : window.discardingFiredPanes();
  }

  /** Whether this spec needs processing-time timers (early or late firings after a delay). */
  public boolean usesProcessingTime() {
    return early.delay() != null || late.delay() != null;
  }

  /** The canonical text of this spec; {@code parse(spec.toString())} equals {@code spec}. */
  @Override
  public String toString() {
    List<String> items = new ArrayList<>();
    items.add("size=" + DurationSpec.format(size));
    items.add("every=" + DurationSpec.format(every));
    items.add("early=" + early.text(false));
    items.add("late=" + late.text(true));
    items.add("lateness=" + (lateness.getMillis() == 0 ? "0s" : DurationSpec.format(lateness)));
    items.add(accumulating ? "accumulating" : "discarding");
    return String.join(",", items);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof WindowSpec)) {
      return false;
    }
    WindowSpec s = (WindowSpec) o;
    return size.equals(s.size)
        && every.equals(s.every)
        && early.equals(s.early)
        && late.equals(s.late)
        && lateness.equals(s.lateness)
        && accumulating == s.accumulating;
  }

  @Override
  public int hashCode() {
    return Objects.hash(size, every, early, late, lateness, accumulating);
  }
}
