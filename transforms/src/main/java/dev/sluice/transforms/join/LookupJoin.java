package dev.sluice.transforms.join;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Joins a keyed collection against a small dimension table held in memory as a map side input,
 * without shuffling the main input: each main value looks its key up in the table. The result is a
 * {@link Joined} row whose left side is the main value and whose right side is the dimension row,
 * or {@link Side#absent()} if the table has no row for the key.
 *
 * <pre>{@code
 * PCollection<KV<String, Transaction>> transactions = ...;
 * PCollection<KV<String, Account>> accounts = ...; // small: one row per account id
 * PCollection<KV<String, Joined<Transaction, Account>>> enriched =
 *     transactions.apply("LookUpAccount", LookupJoin.leftOuter(accounts));
 * }</pre>
 *
 * <p>A missing dimension row is handled explicitly: {@link #inner} drops the main value, {@link
 * #leftOuter} keeps it with an absent right side. Either way the metrics {@code
 * sluice.join/lookup_hits} and {@code sluice.join/lookup_misses} count the look-ups.
 *
 * <p>The table must fit in memory on each worker and hold at most one row per key ({@link
 * View#asMap()} fails the pipeline on a duplicate key). A table given as a collection is read in
 * its own windows: a bounded table in the global window serves every window of a windowed main
 * input. A table given as a view ({@link #inner(PCollectionView, Coder)}) is used as it is, so one
 * view can serve several look-ups.
 */
public final class LookupJoin {
  private LookupJoin() {}

  /** Keeps only the main values whose key is in {@code table}. */
  public static <K, V, D> Lookup<K, V, D> inner(PCollection<KV<K, D>> table) {
    return new Lookup<>(false, requireNonNull(table, "LookupJoin.inner: table"), null, null);
  }

  /** Keeps every main value; the right side is absent where {@code table} lacks the key. */
  public static <K, V, D> Lookup<K, V, D> leftOuter(PCollection<KV<K, D>> table) {
    return new Lookup<>(true, requireNonNull(table, "LookupJoin.leftOuter: table"), null, null);
  }

  /**
   * Like {@link #inner(PCollection)}, against a map view built elsewhere (for example with {@link
   * View#asMap()}); {@code tableValueCoder} encodes the table's rows in the result.
   */
  public static <K, V, D> Lookup<K, V, D> inner(
      PCollectionView<Map<K, D>> table, Coder<D> tableValueCoder) {
    return new Lookup<>(
        false,
        null,
        requireNonNull(table, "LookupJoin.inner: table"),
        requireNonNull(tableValueCoder, "LookupJoin.inner: tableValueCoder"));
  }

  /**
   * Like {@link #leftOuter(PCollection)}, against a map view built elsewhere; {@code
   * tableValueCoder} encodes the table's rows in the result.
   */
  public static <K, V, D> Lookup<K, V, D> leftOuter(
      PCollectionView<Map<K, D>> table, Coder<D> tableValueCoder) {
    return new Lookup<>(
        true,
        null,
        requireNonNull(table, "LookupJoin.leftOuter: table"),
        requireNonNull(tableValueCoder, "LookupJoin.leftOuter: tableValueCoder"));
  }

  /**
   * The look-up of each input value's key in the dimension table.
   *
   * <pre>{@code
   * LookupJoin.Lookup<String, Transaction, Account> lookUp = LookupJoin.inner(accounts);
   * PCollection<KV<String, Joined<Transaction, Account>>> rows =
   *     transactions.apply("LookUpAccount", lookUp);
   * }</pre>
   */
  public static final class Lookup<K, V, D>
      extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Joined<V, D>>>> {
    private static final long serialVersionUID = 1L;

    private final boolean keepMisses;
    // Exactly one of tableRows (with its coder known) and tableView (with tableValueCoder) is set.
    private final transient @Nullable PCollection<KV<K, D>> tableRows;
    private final @Nullable PCollectionView<Map<K, D>> tableView;
    private final @Nullable Coder<D> tableValueCoder;

    Lookup(
        boolean keepMisses,
        @Nullable PCollection<KV<K, D>> tableRows,
        @Nullable PCollectionView<Map<K, D>> tableView,
        @Nullable Coder<D> tableValueCoder) {
      this.keepMisses = keepMisses;
      this.tableRows = tableRows;
      this.tableView = tableView;
      this.tableValueCoder = tableValueCoder;
    }

    @Override
    public PCollection<KV<K, Joined<V, D>>> expand(PCollection<KV<K, V>> input) {
      String name = getKindString();
      KvCoder<K, V> inputCoder = JoinInputs.kvCoder(name, "input", input);
      PCollectionView<Map<K, D>> view;
      Coder<D> valueCoder;
      if (tableRows != null) {
        JoinInputs.checkSamePipeline(name, "table", input, tableRows);
        KvCoder<K, D> tableCoder = JoinInputs.kvCoder(name, "table", tableRows);
        JoinInputs.commonKeyCoder(
            name,
            List.of("input", "table"),
            List.of(inputCoder.getKeyCoder(), tableCoder.getKeyCoder()));
        view = tableRows.apply("TableAsMap", View.asMap());
        valueCoder = tableCoder.getValueCoder();
      } else {
        view = requireNonNull(tableView);
        valueCoder = requireNonNull(tableValueCoder);
      }
      return input
          .apply("LookUp", ParDo.of(new LookupFn<K, V, D>(view, keepMisses)).withSideInputs(view))
          .setCoder(
              KvCoder.of(
                  inputCoder.getKeyCoder(),
                  Joined.JoinedCoder.of(inputCoder.getValueCoder(), valueCoder)));
    }

    @Override
    protected String getKindString() {
      return keepMisses ? "LookupJoin.leftOuter" : "LookupJoin.inner";
    }
  }

  /** Looks one value's key up in the table. */
  static final class LookupFn<K, V, D> extends DoFn<KV<K, V>, KV<K, Joined<V, D>>> {
    private static final long serialVersionUID = 1L;

    private final PCollectionView<Map<K, D>> table;
    private final boolean keepMisses;
    private final Counter hits = Metrics.counter(Join.METRICS_NAMESPACE, "lookup_hits");
    private final Counter misses = Metrics.counter(Join.METRICS_NAMESPACE, "lookup_misses");

    LookupFn(PCollectionView<Map<K, D>> table, boolean keepMisses) {
      this.table = table;
      this.keepMisses = keepMisses;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      KV<K, V> element = c.element();
      Map<K, D> rows = c.sideInput(table);
      if (rows.containsKey(element.getKey())) {
        hits.inc();
        D row = rows.get(element.getKey());
        c.output(KV.of(element.getKey(), Joined.both(element.getValue(), row)));
      } else {
        misses.inc();
        if (keepMisses) {
          c.output(KV.of(element.getKey(), Joined.leftOnly(element.getValue())));
        }
      }
    }
  }
}
