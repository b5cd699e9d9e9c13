package dev.sluice.pipelines.iot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A device's {@link ReadingStats} together with the window {@code [startMillis, endMillis)} they
 * summarize: what the alert joins carry once a window's result has been moved into another window.
 */
@DefaultCoder(WindowStats.Coder.class)
public final class WindowStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long startMillis;
  private final long endMillis;
  private final ReadingStats stats;

  public WindowStats(long startMillis, long endMillis, ReadingStats stats) {
    this.startMillis = startMillis;
    this.endMillis = endMillis;
    this.stats = Objects.requireNonNull(stats, "stats");
  }

  public long startMillis() {
    return startMillis;
  }

  public long endMillis() {
    return endMillis;
  }

  public ReadingStats stats() {
    return stats;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WindowStats
        && startMillis == ((WindowStats) o).startMillis
        && endMillis == ((WindowStats) o).endMillis
        && stats.equals(((WindowStats) o).stats);
  }

  @Override
  public int hashCode() {
    return Objects.hash(startMillis, endMillis, stats);
  }

  @Override
  public String toString() {
    return "[" + startMillis + ", " + endMillis + ") " + stats;
  }

  /** Deterministic coder: window start, window end, then the stats. */
  public static final class Coder extends AtomicCoder<WindowStats> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(WindowStats.class), INSTANCE);
    }

    @Override
    public void encode(WindowStats w, OutputStream out) throws IOException {
      VarLongCoder.of().encode(w.startMillis, out);
      VarLongCoder.of().encode(w.endMillis, out);
      ReadingStats.Coder.of().encode(w.stats, out);
    }

    @Override
    public WindowStats decode(InputStream in) throws IOException {
      long start = VarLongCoder.of().decode(in);
      long end = VarLongCoder.of().decode(in);
      return new WindowStats(start, end, ReadingStats.Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
