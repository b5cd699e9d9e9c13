package dev.sluice.transforms.distinct;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * The mutable side of a {@link DistinctSketch}: a DataSketches {@link Union} that takes element
 * hashes and other sketches, at a precision that only goes down (to the smallest {@code lgK} of
 * anything merged into it). The accumulator of {@link ApproximateDistinct.SketchFn} and {@link
 * MergeSketches.MergeFn}. Public so that other engines can hold it as the accumulator of {@link
 * ApproximateDistinct.SketchFn} (the native Flink benchmark jobs do); it is used only through the
 * {@code SketchFn}'s methods.
 */
public final class SketchAccumulator {
  private int lgK;
  private Union union;

  private SketchAccumulator(int lgK, Union union) {
    this.lgK = lgK;
    this.union = union;
  }

  static SketchAccumulator withLgK(int lgK) {
    return new SketchAccumulator(lgK, new Union(lgK));
  }

  int lgK() {
    return lgK;
  }

  /** Adds one element, given as the bytes it is hashed from ({@link ElementEncoding}). */
  void addItem(byte[] item) {
    union.update(item);
  }

  void add(DistinctSketch sketch) {
    lowerTo(sketch.lgK());
    union.update(sketch.toHllSketch());
  }

  void addAll(SketchAccumulator other) {
    lowerTo(other.lgK);
    union.update(other.union.getResult(TgtHllType.HLL_8));
  }

  DistinctSketch result() {
    return DistinctSketch.of(union.getResult(TgtHllType.HLL_8));
  }

  /** Folds the union down to {@code newLgK} registers if that is fewer than it has. */
  private void lowerTo(int newLgK) {
    if (newLgK < lgK) {
      Union smaller = new Union(newLgK);
      smaller.update(union.getResult(TgtHllType.HLL_8));
      union = smaller;
      lgK = newLgK;
    }
  }

  /** Encodes the precision and the union's compact image; not deterministic, and need not be. */
  static final class Coder extends AtomicCoder<SketchAccumulator> {
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SketchAccumulator value, OutputStream out) throws IOException {
      VarIntCoder.of().encode(value.lgK, out);
      ByteArrayCoder.of().encode(value.union.toCompactByteArray(), out);
    }

    @Override
    public SketchAccumulator decode(InputStream in) throws IOException {
      int lgK = VarIntCoder.of().decode(in);
      Union union = Union.heapify(ByteArrayCoder.of().decode(in));
      return new SketchAccumulator(lgK, union);
    }
  }
}
