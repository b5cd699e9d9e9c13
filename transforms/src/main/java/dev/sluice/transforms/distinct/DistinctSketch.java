package dev.sluice.transforms.distinct;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * An immutable, mergeable HyperLogLog sketch of a set of elements: it estimates how many distinct
 * elements went into it, with error bounds, and merges with sketches of other windows, keys or runs
 * (daily uniques from hourly sketches, say) without seeing the elements again.
 *
 * <p>It is an Apache DataSketches HLL sketch, held as its compact serialized image of type {@code
 * HLL_8}; {@link #toByteArray()} returns that image, which {@code
 * org.apache.datasketches.hll.HllSketch.heapify(byte[])} reads in any DataSketches library (Java,
 * C++, Python, Druid, ...). Its size is at most {@code 2^lgK + 40} bytes; sketches of few elements
 * hold their hashes in a list and are much smaller.
 *
 * <p><b>Canonical form.</b> DataSketches images depend on the order in which items and sketches
 * were merged (insertion order of the hash lists, the HIP accumulator). A {@code DistinctSketch} is
 * always brought to one canonical image instead: the hashes of a list or set sketch sorted, and a
 * dense sketch put in DataSketches' merged ("out-of-order") state, where the estimate is computed
 * from the registers alone. So the image, {@link #equals}, and the {@link #estimate()} depend only
 * on the set of elements and on {@code lgK}: not on bundling, merge order or runner. The price is
 * DataSketches' HIP estimator (error factor 0.833 instead of 1.04) for sketches built from a single
 * stream; see {@link ApproximateDistinct} for the error bound.
 *
 * <pre>{@code
 * PCollection<DistinctSketch> hourly =
 *     visitors
 *         .apply("Hourly", Window.into(FixedWindows.of(Duration.standardHours(1))))
 *         .apply("SketchVisitors", ApproximateDistinct.sketchGlobally());
 * // later, or in another job:
 * DistinctSketch day = sketchAt9.merge(sketchAt10);
 * double uniques = day.estimate();
 * double high = day.upperBound(2); // about 95 % confidence
 * }</pre>
 */
@DefaultCoder(DistinctSketch.Coder.class)
public final class DistinctSketch implements Serializable {
  private static final long serialVersionUID = 1L;

  // The compact image layout, from DataSketches' documented serialization format
  // (org.apache.datasketches.hll.PreambleUtil): byte 7 holds the mode in its low two bits, a
  // list keeps its count in byte 6 and its hashes from byte 8, a hash set its count in the int at
  // byte 8 and its hashes from byte 12; all little-endian.
  private static final int MODE_BYTE = 7;
  private static final int MODE_LIST = 0;
  private static final int MODE_SET = 1;
  private static final int MODE_HLL = 2;
  private static final int LIST_COUNT_BYTE = 6;
  private static final int LIST_START = 8;
  private static final int SET_COUNT_INT = 8;
  private static final int SET_START = 12;

  private final byte[] image;

  private DistinctSketch(byte[] canonicalImage) {
    this.image = canonicalImage;
  }

  /** A sketch of nothing, with precision {@code lgK} (see {@link ApproximateDistinct}). */
  public static DistinctSketch empty(int lgK) {
    ApproximateDistinct.checkLgK("DistinctSketch.empty", lgK);
    return new DistinctSketch(new HllSketch(lgK, TgtHllType.HLL_8).toCompactByteArray());
  }

  /**
   * Reads a DataSketches HLL sketch image of any type ({@code HLL_4}, {@code HLL_6}, {@code HLL_8},
   * compact or updatable), e.g. one from {@link #toByteArray()}, and brings it to the canonical
   * form.
   *
   * <p>Sketches built outside Sluice merge correctly with Sluice's only if they hashed the same
   * bytes for the same element: Sluice hashes the byte {@code 0x01} followed by the element's Beam
   * encoding.
   *
   * @throws IllegalArgumentException if {@code image} is not a DataSketches HLL sketch image
   */
  public static DistinctSketch fromByteArray(byte[] image) {
    Objects.requireNonNull(image, "image");
    HllSketch sketch;
    try {
      sketch = HllSketch.heapify(image);
    } catch (SketchesException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "not a DataSketches HLL sketch image (" + image.length + " bytes): " + e.getMessage(), e);
    }
    return of(sketch);
  }

  /** The canonical sketch of whatever set {@code sketch} holds, at its precision. */
  static DistinctSketch of(HllSketch sketch) {
    int lgK = sketch.getLgConfigK();
    if (sketch.isEmpty()) {
      return empty(lgK);
    }
    byte[] compact = sketch.copyAs(TgtHllType.HLL_8).toCompactByteArray();
    int mode = compact[MODE_BYTE] & 3;
    if (mode == MODE_HLL) {
      // Merging the sketch into a union twice leaves the registers as they are but puts the union
      // in the merged state: HIP accumulator cleared, "out of order" set, KxQ sums and the
      // minimum register rebuilt from the registers. Everything in the image then follows from
      // the registers.
      Union union = new Union(lgK);
      union.update(sketch);
      union.update(sketch);
      return new DistinctSketch(union.getResult(TgtHllType.HLL_8).toCompactByteArray());
    }
    sortHashes(compact, mode);
    return new DistinctSketch(compact);
  }

  /** Sorts the coupon (hash) list of a compact list or set image in place. */
  private static void sortHashes(byte[] compact, int mode) {
    ByteBuffer buffer = ByteBuffer.wrap(compact).order(ByteOrder.LITTLE_ENDIAN);
    int start;
    int count;
    if (mode == MODE_LIST) {
      start = LIST_START;
      count = compact[LIST_COUNT_BYTE] & 0xFF;
    } else if (mode == MODE_SET) {
      start = SET_START;
      count = buffer.getInt(SET_COUNT_INT);
    } else {
      throw new IllegalStateException("unknown HLL sketch mode " + mode);
    }
    int[] hashes = new int[count];
    for (int i = 0; i < count; i++) {
      hashes[i] = buffer.getInt(start + 4 * i);
    }
    Arrays.sort(hashes);
    for (int i = 0; i < count; i++) {
      buffer.putInt(start + 4 * i, hashes[i]);
    }
  }

  /** A copy of the canonical DataSketches compact {@code HLL_8} image. */
  public byte[] toByteArray() {
    return image.clone();
  }

  /** The precision: the sketch has {@code 2^lgK} registers. */
  public int lgK() {
    return image[3];
  }

  /** Whether no element went into the sketch. */
  public boolean isEmpty() {
    return toHllSketch().isEmpty();
  }

  /** The estimated number of distinct elements. */
  public double estimate() {
    return toHllSketch().getEstimate();
  }

  /**
   * A lower bound of the number of distinct elements at {@code numStdDev} standard deviations (1, 2
   * or 3: about 68 %, 95 % and 99.7 % confidence), from DataSketches' error tables.
   */
  public double lowerBound(int numStdDev) {
    return toHllSketch().getLowerBound(checkNumStdDev(numStdDev));
  }

  /** An upper bound of the number of distinct elements at {@code numStdDev} (1, 2 or 3). */
  public double upperBound(int numStdDev) {
    return toHllSketch().getUpperBound(checkNumStdDev(numStdDev));
  }

  /** The relative standard error of {@link #estimate()}: see {@link ApproximateDistinct}. */
  public double relativeStandardError() {
    return ApproximateDistinct.relativeStandardError(lgK());
  }

  /**
   * The sketch of the union of both sets. Its precision is the smaller of the two; the sketch with
   * more registers is folded down to it first, exactly as if it had been built at that precision.
   */
  public DistinctSketch merge(DistinctSketch other) {
    Objects.requireNonNull(other, "other");
    SketchAccumulator union = SketchAccumulator.withLgK(Math.min(lgK(), other.lgK()));
    union.add(this);
    union.add(other);
    return union.result();
  }

  /** A fresh, heap-resident DataSketches sketch holding this sketch's state. */
  HllSketch toHllSketch() {
    return HllSketch.heapify(image);
  }

  private static int checkNumStdDev(int numStdDev) {
    if (numStdDev < 1 || numStdDev > 3) {
      throw new IllegalArgumentException("numStdDev must be 1, 2 or 3, was " + numStdDev);
    }
    return numStdDev;
  }

  /** Equal when the canonical images are equal: when they hold the same hashes at the same lgK. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DistinctSketch && Arrays.equals(image, ((DistinctSketch) o).image);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(image);
  }

  @Override
  public String toString() {
    return String.format(
        "DistinctSketch{lgK=%d, estimate=%.1f, bytes=%d}", lgK(), estimate(), image.length);
  }

  /**
   * A deterministic coder: the canonical image as a length-prefixed byte array. Equal sketches have
   * equal images, so they encode to equal bytes, and sketches of the same set of elements at the
   * same {@code lgK} are equal whatever the order and grouping in which they were built. It is the
   * default coder of {@code DistinctSketch}, so sketches can be keys too.
   *
   * <pre>{@code
   * PCollection<KV<DistinctSketch, String>> bySketch = ...;
   * bySketch.setCoder(KvCoder.of(DistinctSketch.Coder.of(), StringUtf8Coder.of()));
   * }</pre>
   */
  public static final class Coder extends AtomicCoder<DistinctSketch> {
    private static final Coder INSTANCE = new Coder();
    private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(DistinctSketch value, OutputStream out) throws IOException {
      BYTES.encode(value.image, out);
    }

    @Override
    public DistinctSketch decode(InputStream in) throws IOException {
      return new DistinctSketch(BYTES.decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
