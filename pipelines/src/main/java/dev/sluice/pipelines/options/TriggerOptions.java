package dev.sluice.pipelines.options;

import dev.sluice.transforms.window.WindowSpec;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code --trigger}, the early and late results of a windowed job's windows. A job's {@code
 * Options} extends this and declares its own {@code --windowSize} and {@code --windowPeriod} (their
 * defaults differ, and Beam wants the same default on every declaration of an option); {@link
 * #windowSpec} turns the three flags into one {@link WindowSpec}.
 */
public interface TriggerOptions extends PipelineOptions {
  @Description(
      "In a stream, early and late results of each window, e.g. early=30s (a speculative result"
          + " 30 s of processing time after a window's first record), early=1000 (after every"
          + " 1000 records), late=each,lateness=1h (records up to 1 h behind the watermark update"
          + " their windows); accumulating (the default: each pane is the window's result so far)"
          + " or discarding. Empty: one final result per window. A batch always gets one final"
          + " result per window")
  @Default.String("")
  String getTrigger();

  void setTrigger(String value);

  /**
   * The job's windows and trigger from {@code --windowSize}, {@code --windowPeriod} and {@code
   * --trigger}. Panes accumulate unless {@code --trigger} says {@code discarding}: a pane is then
   * the window's result so far, and its last pane its final result.
   *
   * @param noDiscarding why the job refuses discarding panes (its results of a pane's new records
   *     alone would not add up to the window's), or null if it takes them
   * @throws IllegalArgumentException naming the flag, the value and what is allowed
   */
  static WindowSpec windowSpec(
      String windowSize,
      String windowPeriod,
      TriggerOptions options,
      String job,
      @Nullable String noDiscarding) {
    JobOptions.SlidingWindow sliding = JobOptions.SlidingWindow.parse(windowSize, windowPeriod);
    WindowSpec windows = WindowSpec.sliding(sliding.size(), sliding.period());
    String trigger = options.getTrigger();
    if (trigger == null || trigger.isBlank()) {
      return windows;
    }
    // Errors name the flag with its value: --trigger=early=soon: early=soon is not allowed; ...
    String flag = "--trigger=" + trigger;
    WindowSpec spec = windows.accumulatingPanes().withTrigger(flag, trigger);
    if (!spec.isAccumulating() && noDiscarding != null) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %s takes no discarding panes: %s; leave out discarding (panes accumulate: each"
                  + " is the window's result so far)",
              flag, job, noDiscarding));
    }
    return spec;
  }
}
