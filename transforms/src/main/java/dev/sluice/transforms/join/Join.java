package dev.sluice.transforms.join;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Joins of two keyed collections by key, over {@link CoGroupByKey}: inner, left outer, right outer
 * and full outer. The transform is applied to the left input and given the right one; each result
 * is a {@link Joined} row whose missing side, if any, is an explicit {@link Side#absent()}.
 *
 * <pre>{@code
 * PCollection<KV<String, Order>> orders = ...;
 * PCollection<KV<String, Account>> accounts = ...;
 * PCollection<KV<String, Joined<Order, Account>>> rows =
 *     orders.apply("JoinAccounts", Join.leftOuter(accounts));
 * }</pre>
 *
 * <p>Semantics, per key (and per window, see below), with m left and n right values:
 *
 * <ul>
 *   <li>m &gt; 0 and n &gt; 0: every pair, m &times; n rows, both sides present (all four kinds);
 *   <li>n = 0: m rows with the right side absent ({@link #leftOuter} and {@link #fullOuter} only);
 *   <li>m = 0: n rows with the left side absent ({@link #rightOuter} and {@link #fullOuter} only).
 * </ul>
 *
 * <p>Both inputs must encode keys with the same deterministic coder and be windowed the same way.
 * On windowed inputs the join is per window and per pane: a key meets only values of the same
 * window. To window two streams and join them in one step, see {@link WindowedJoin}. The metrics
 * {@code sluice.join/unmatched_left} and {@code sluice.join/unmatched_right} count the values that
 * found no match, whether the join kind keeps them or drops them.
 */
public final class Join {
  static final String METRICS_NAMESPACE = "sluice.join";

  private Join() {}

  /** Rows only for keys on both sides. */
  public static <K, L, R> TwoWay<K, L, R> inner(PCollection<KV<K, R>> right) {
    return new TwoWay<>(Kind.INNER, right);
  }

  /** Every left value; the right side is absent where the key has no right value. */
  public static <K, L, R> TwoWay<K, L, R> leftOuter(PCollection<KV<K, R>> right) {
    return new TwoWay<>(Kind.LEFT_OUTER, right);
  }

  /** Every right value; the left side is absent where the key has no left value. */
  public static <K, L, R> TwoWay<K, L, R> rightOuter(PCollection<KV<K, R>> right) {
    return new TwoWay<>(Kind.RIGHT_OUTER, right);
  }

  /** Every value of both sides; the side a key lacks is absent. */
  public static <K, L, R> TwoWay<K, L, R> fullOuter(PCollection<KV<K, R>> right) {
    return new TwoWay<>(Kind.FULL_OUTER, right);
  }

  /** The four kinds, by which unmatched values each keeps. */
  enum Kind {
    INNER("inner", false, false),
    LEFT_OUTER("leftOuter", true, false),
    RIGHT_OUTER("rightOuter", false, true),
    FULL_OUTER("fullOuter", true, true);

    final String factory;
    final boolean keepsUnmatchedLeft;
    final boolean keepsUnmatchedRight;

    Kind(String factory, boolean keepsUnmatchedLeft, boolean keepsUnmatchedRight) {
      this.factory = factory;
      this.keepsUnmatchedLeft = keepsUnmatchedLeft;
      this.keepsUnmatchedRight = keepsUnmatchedRight;
    }
  }

  /**
   * A two-way join of the input (the left side) with the collection given to the factory (the right
   * side). See {@link Join} for the semantics.
   *
   * <pre>{@code
   * Join.TwoWay<String, Order, Account> join = Join.inner(accounts);
   * PCollection<KV<String, Joined<Order, Account>>> rows = orders.apply("JoinAccounts", join);
   * }</pre>
   */
  public static final class TwoWay<K, L, R>
      extends PTransform<PCollection<KV<K, L>>, PCollection<KV<K, Joined<L, R>>>> {
    private static final long serialVersionUID = 1L;

    private final Kind kind;
    // A PCollection is part of the graph, not configuration to serialize (as in Beam's own Join).
    private final transient PCollection<KV<K, R>> right;

    TwoWay(Kind kind, PCollection<KV<K, R>> right) {
      this.kind = kind;
      this.right = requireNonNull(right, "Join." + kind.factory + ": right must not be null");
    }

    @Override
    public PCollection<KV<K, Joined<L, R>>> expand(PCollection<KV<K, L>> left) {
      String name = "Join." + kind.factory;
      JoinInputs.checkSamePipeline(name, "right", left, right);
      KvCoder<K, L> leftCoder = JoinInputs.kvCoder(name, "left", left);
      KvCoder<K, R> rightCoder = JoinInputs.kvCoder(name, "right", right);
      Coder<K> keyCoder =
          JoinInputs.commonKeyCoder(
              name,
              List.of("left", "right"),
              List.of(leftCoder.getKeyCoder(), rightCoder.getKeyCoder()));
      JoinInputs.checkSameWindowing(name, List.of("left", "right"), List.of(left, right));

      TupleTag<L> leftTag = new TupleTag<>("left");
      TupleTag<R> rightTag = new TupleTag<>("right");
      return KeyedPCollectionTuple.of(leftTag, left)
          .and(rightTag, right)
          .apply("CoGroupByKey", CoGroupByKey.create())
          .apply("PairUp", ParDo.of(new PairUpFn<>(kind, leftTag, rightTag)))
          .setCoder(
              KvCoder.of(
                  keyCoder,
                  Joined.JoinedCoder.of(leftCoder.getValueCoder(), rightCoder.getValueCoder())));
    }

    @Override
    protected String getKindString() {
      return "Join." + kind.factory;
    }
  }

  /** Turns one key's grouped values into the rows of its join kind. */
  static final class PairUpFn<K, L, R> extends DoFn<KV<K, CoGbkResult>, KV<K, Joined<L, R>>> {
    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final TupleTag<L> leftTag;
    private final TupleTag<R> rightTag;
    private final Counter unmatchedLeft = Metrics.counter(METRICS_NAMESPACE, "unmatched_left");
    private final Counter unmatchedRight = Metrics.counter(METRICS_NAMESPACE, "unmatched_right");

    PairUpFn(Kind kind, TupleTag<L> leftTag, TupleTag<R> rightTag) {
      this.kind = kind;
      this.leftTag = leftTag;
      this.rightTag = rightTag;
    }

    @ProcessElement
    public void process(
        @Element KV<K, CoGbkResult> group, OutputReceiver<KV<K, Joined<L, R>>> out) {
      K key = group.getKey();
      Iterable<L> lefts = group.getValue().getAll(leftTag);
      Iterable<R> rights = group.getValue().getAll(rightTag);
      boolean anyLeft = lefts.iterator().hasNext();
      boolean anyRight = rights.iterator().hasNext();
      if (anyLeft && anyRight) {
        for (L l : lefts) {
          for (R r : rights) {
            out.output(KV.of(key, Joined.both(l, r)));
          }
        }
      } else if (anyLeft) {
        for (L l : lefts) {
          unmatchedLeft.inc();
          if (kind.keepsUnmatchedLeft) {
            out.output(KV.of(key, Joined.leftOnly(l)));
          }
        }
      } else {
        for (R r : rights) {
          unmatchedRight.inc();
          if (kind.keepsUnmatchedRight) {
            out.output(KV.of(key, Joined.rightOnly(r)));
          }
        }
      }
    }
  }
}
