package dev.sluice.transforms.window;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A result together with the window and the pane it was produced in: the window's start and end
 * (epoch milliseconds, end exclusive), the pane's {@link PaneLabel}, its index within the window (0
 * for the first pane) and whether it is the window's final pane. Made by {@link
 * ReifyWindowAndPane}.
 *
 * <pre>{@code
 * PCollection<InWindow<KV<String, Long>>> counts =
 *     words.apply(spec.window()).apply(Count.perElement()).apply(ReifyWindowAndPane.create());
 * }</pre>
 */
public final class InWindow<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final T value;
  private final long windowStartMillis;
  private final long windowEndMillis;
  private final PaneLabel pane;
  private final long paneIndex;
  private final boolean isFinal;

  private InWindow(
      T value,
      long windowStartMillis,
      long windowEndMillis,
      PaneLabel pane,
      long paneIndex,
      boolean isFinal) {
    this.value = value;
    this.windowStartMillis = windowStartMillis;
    this.windowEndMillis = windowEndMillis;
    this.pane = Objects.requireNonNull(pane, "pane");
    this.paneIndex = paneIndex;
    this.isFinal = isFinal;
  }

  public static <T> InWindow<T> of(
      T value,
      long windowStartMillis,
      long windowEndMillis,
      PaneLabel pane,
      long paneIndex,
      boolean isFinal) {
    return new InWindow<>(value, windowStartMillis, windowEndMillis, pane, paneIndex, isFinal);
  }

  public T value() {
    return value;
  }

  public long windowStartMillis() {
    return windowStartMillis;
  }

  public long windowEndMillis() {
    return windowEndMillis;
  }

  public PaneLabel pane() {
    return pane;
  }

  /** 0 for a window's first pane, then 1, 2, ... in firing order. */
  public long paneIndex() {
    return paneIndex;
  }

  /** Whether no further pane of this window will follow. */
  public boolean isFinal() {
    return isFinal;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof InWindow)) {
      return false;
    }
    InWindow<?> w = (InWindow<?>) o;
    return Objects.equals(value, w.value)
        && windowStartMillis == w.windowStartMillis
        && windowEndMillis == w.windowEndMillis
        && pane == w.pane
        && paneIndex == w.paneIndex
        && isFinal == w.isFinal;
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, windowStartMillis, windowEndMillis, pane, paneIndex, isFinal);
  }

  @Override
  public String toString() {
    return String.format(
        "%s in [%s, %s) %s#%d%s",
        value,
        java.time.Instant.ofEpochMilli(windowStartMillis),
        java.time.Instant.ofEpochMilli(windowEndMillis),
        pane,
        paneIndex,
        isFinal ? " final" : "");
  }

  /**
   * Coder of {@link InWindow}: the value's coder, then the window and pane fields; deterministic
   * when the value's coder is.
   *
   * <pre>{@code
   * Coder<InWindow<String>> coder = InWindow.InWindowCoder.of(StringUtf8Coder.of());
   * }</pre>
   */
  public static final class InWindowCoder<T> extends StructuredCoder<InWindow<T>> {
    private static final long serialVersionUID = 1L;
    private final Coder<T> valueCoder;

    private InWindowCoder(Coder<T> valueCoder) {
      this.valueCoder = valueCoder;
    }

    public static <T> InWindowCoder<T> of(Coder<T> valueCoder) {
      return new InWindowCoder<>(valueCoder);
    }

    @Override
    public void encode(InWindow<T> w, OutputStream out) throws IOException {
      valueCoder.encode(w.value, out);
      VarLongCoder.of().encode(w.windowStartMillis, out);
      VarLongCoder.of().encode(w.windowEndMillis, out);
      VarIntCoder.of().encode(w.pane.ordinal(), out);
      VarLongCoder.of().encode(w.paneIndex, out);
      BooleanCoder.of().encode(w.isFinal, out);
    }

    @Override
    public InWindow<T> decode(InputStream in) throws IOException {
      T value = valueCoder.decode(in);
      long start = VarLongCoder.of().decode(in);
      long end = VarLongCoder.of().decode(in);
      PaneLabel pane = PaneLabel.values()[VarIntCoder.of().decode(in)];
      long index = VarLongCoder.of().decode(in);
      boolean isFinal = BooleanCoder.of().decode(in);
      return new InWindow<>(value, start, end, pane, index, isFinal);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(valueCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "the value coder must be deterministic", valueCoder);
    }
  }
}
