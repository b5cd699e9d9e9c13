package dev.sluice.transforms.window;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Makes each element's window and pane part of the element, as an {@link InWindow}, so results can
 * say which window and which firing they belong to (the output contract's {@code window_start},
 * {@code window_end} and {@code pane}). The element stays in its window.
 *
 * <pre>{@code
 * PCollection<InWindow<KV<String, Long>>> counts =
 *     words.apply(WindowSpec.parse("size=10m,every=1m,early=30s").<String>window())
 *          .apply(Count.perElement())
 *          .apply(ReifyWindowAndPane.create());
 * }</pre>
 *
 * <p>Elements must be in interval windows (sliding, fixed or sessions); the global window has no
 * start or end and is refused with a clear error at run time.
 */
public final class ReifyWindowAndPane<T>
    extends PTransform<PCollection<T>, PCollection<InWindow<T>>> {
  private ReifyWindowAndPane() {}

  public static <T> ReifyWindowAndPane<T> create() {
    return new ReifyWindowAndPane<>();
  }

  @Override
  public PCollection<InWindow<T>> expand(PCollection<T> input) {
    return input
        .apply("AttachWindowAndPane", ParDo.of(new AttachFn<T>()))
        .setCoder(InWindow.InWindowCoder.of(input.getCoder()));
  }

  static final class AttachFn<T> extends DoFn<T, InWindow<T>> {
    @ProcessElement
    public void process(
        @Element T element, BoundedWindow window, PaneInfo pane, OutputReceiver<InWindow<T>> out) {
      if (!(window instanceof IntervalWindow)) {
        throw new IllegalArgumentException(
            "ReifyWindowAndPane needs interval windows (sliding, fixed, sessions), got "
                + window.getClass().getSimpleName());
      }
      IntervalWindow w = (IntervalWindow) window;
      out.output(
          InWindow.of(
              element,
              w.start().getMillis(),
              w.end().getMillis(),
              PaneLabel.of(pane),
              pane.getIndex(),
              pane.isLast()));
    }
  }
}
