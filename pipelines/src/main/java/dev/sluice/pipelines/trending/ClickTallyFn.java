package dev.sluice.pipelines.trending;

import dev.sluice.transforms.distinct.ApproximateDistinct;
import dev.sluice.transforms.distinct.DistinctSketch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * Tallies one item's clicks (the users who clicked, one value per click): how many clicks, and how
 * many distinct users, the latter with {@link ApproximateDistinct.SketchFn}, the HyperLogLog sketch
 * of {@link ApproximateDistinct} (DataSketches, {@code lgK} {@value
 * ApproximateDistinct#DEFAULT_LG_K}), estimated and rounded as {@code ApproximateDistinct.perKey()}
 * does. Both live in one accumulator, so one combine gives both figures and {@code SaltedCombine}
 * can split a hot item over sub-keys and merge the partial tallies: counts add up and sketches
 * merge by union, so the result is the same however the clicks were split.
 *
 * <p><b>When the distinct count is exact.</b> A sketch of lgK 12 keeps up to 384 distinct users as
 * a set of 26-bit hash "coupons" before it switches to HLL registers; while no two of the users'
 * coupons collide its estimate rounds to the exact count. {@code TrendingItemsModel} counts users
 * exactly; the job equals it as long as an item has at most a few hundred distinct users in a
 * window (the {@code clicks} generator draws from 250 users, a set checked to be collision-free).
 * Beyond that the figure is an estimate with a relative standard error of about 1.6 %.
 */
public final class ClickTallyFn extends CombineFn<String, ClickTallyFn.Accum, ClickTallyFn.Tally> {
  private static final long serialVersionUID = 1L;

  private final CombineFn<String, Object, DistinctSketch> users;

  private ClickTallyFn(CombineFn<String, Object, DistinctSketch> users) {
    this.users = users;
  }

  /** Counts clicks and (approximately) distinct users at ApproximateDistinct's default lgK. */
  @SuppressWarnings("unchecked") // the sketch's accumulator type is private to its package
  public static ClickTallyFn create() {
    CombineFn<String, ?, DistinctSketch> sketch =
        ApproximateDistinct.SketchFn.of(StringUtf8Coder.of());
    return new ClickTallyFn((CombineFn<String, Object, DistinctSketch>) sketch);
  }

  @Override
  public Accum createAccumulator() {
    return new Accum(0, users.createAccumulator());
  }

  @Override
  public Accum addInput(Accum accumulator, String user) {
    accumulator.clicks++;
    accumulator.users = users.addInput(accumulator.users, user);
    return accumulator;
  }

  @Override
  public Accum mergeAccumulators(Iterable<Accum> accumulators) {
    long clicks = 0;
    List<Object> sketches = new ArrayList<>();
    for (Accum accumulator : accumulators) {
      clicks += accumulator.clicks;
      sketches.add(accumulator.users);
    }
    return new Accum(clicks, users.mergeAccumulators(sketches));
  }

  @Override
  public Tally extractOutput(Accum accumulator) {
    return new Tally(
        accumulator.clicks, Math.round(users.extractOutput(accumulator.users).estimate()));
  }

  @Override
  public Coder<Accum> getAccumulatorCoder(CoderRegistry registry, Coder<String> inputCoder)
      throws CannotProvideCoderException {
    return new AccumCoder(users.getAccumulatorCoder(registry, StringUtf8Coder.of()));
  }

  @Override
  public Coder<Tally> getDefaultOutputCoder(CoderRegistry registry, Coder<String> inputCoder) {
    return Tally.Coder.of();
  }

  /** Clicks so far and the users' sketch accumulator. */
  public static final class Accum {
    private long clicks;
    private Object users;

    Accum(long clicks, Object users) {
      this.clicks = clicks;
      this.users = users;
    }
  }

  /** Encodes the click count, then the sketch accumulator with the sketch's own coder. */
  static final class AccumCoder extends CustomCoder<Accum> {
    private static final long serialVersionUID = 1L;
    private final Coder<Object> users;

    AccumCoder(Coder<Object> users) {
      this.users = users;
    }

    @Override
    public void encode(Accum value, OutputStream out) throws IOException {
      VarLongCoder.of().encode(value.clicks, out);
      users.encode(value.users, out);
    }

    @Override
    public Accum decode(InputStream in) throws IOException {
      return new Accum(VarLongCoder.of().decode(in), users.decode(in));
    }
  }

  /** One item's clicks and distinct users in one window. */
  public static final class Tally {
    private final long clicks;
    private final long distinctUsers;

    public Tally(long clicks, long distinctUsers) {
      this.clicks = clicks;
      this.distinctUsers = distinctUsers;
    }

    public long clicks() {
      return clicks;
    }

    public long distinctUsers() {
      return distinctUsers;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tally
          && clicks == ((Tally) o).clicks
          && distinctUsers == ((Tally) o).distinctUsers;
    }

    @Override
    public int hashCode() {
      return Objects.hash(clicks, distinctUsers);
    }

    @Override
    public String toString() {
      return clicks + " clicks, " + distinctUsers + " users";
    }

    /** Deterministic coder: clicks, then distinct users. */
    public static final class Coder extends AtomicCoder<Tally> {
      private static final Coder INSTANCE = new Coder();

      public static Coder of() {
        return INSTANCE;
      }

      @Override
      public void encode(Tally value, OutputStream out) throws IOException {
        VarLongCoder.of().encode(value.clicks, out);
        VarLongCoder.of().encode(value.distinctUsers, out);
      }

      @Override
      public Tally decode(InputStream in) throws IOException {
        return new Tally(VarLongCoder.of().decode(in), VarLongCoder.of().decode(in));
      }

      @Override
      public void verifyDeterministic() {}
    }
  }
}
