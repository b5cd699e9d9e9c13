package dev.sluice.transforms.window;

import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * The pane label of the output contract: {@code EARLY}, {@code ON_TIME} or {@code LATE}.
 *
 * <p>Runners disagree on one case, and this class settles it on purpose: Flink in batch does not
 * run triggers and emits each window as a single pane whose timing is {@code UNKNOWN}. In batch the
 * watermark passes every window only once all input is read, so that single, final pane holds
 * exactly what the on-time pane holds on the DirectRunner and Spark; it is labelled {@code
 * ON_TIME}. An {@code UNKNOWN} pane that is not the window's last one has no such meaning and is
 * refused rather than guessed.
 *
 * <pre>{@code
 * @ProcessElement
 * public void process(@Element KV<String, Long> count, PaneInfo pane, OutputReceiver<String> out) {
 *   out.output(count.getKey() + " " + PaneLabel.of(pane));   // e.g. "beam ON_TIME"
 * }
 * }</pre>
 */
public enum PaneLabel {
  EARLY,
  ON_TIME,
  LATE;

  /** The label of {@code pane}. */
  public static PaneLabel of(PaneInfo pane) {
    switch (pane.getTiming()) {
      case EARLY:
        return EARLY;
      case ON_TIME:
        return ON_TIME;
      case LATE:
        return LATE;
      default:
        if (pane.isFirst() && pane.isLast()) {
          return ON_TIME;
        }
        throw new IllegalStateException(
            "pane with UNKNOWN timing that is not the window's only pane: " + pane);
    }
  }
}
