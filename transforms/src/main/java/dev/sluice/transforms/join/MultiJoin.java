package dev.sluice.transforms.join;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple.TaggedKeyedPCollection;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Joins N keyed collections by key, over {@link CoGroupByKey}: the inputs are the tagged
 * collections of a {@link KeyedPCollectionTuple}, and each result is a {@link JoinRow} from which
 * {@link JoinRow#get(TupleTag)} reads each input's {@link Side}.
 *
 * <pre>{@code
 * TupleTag<Order> ordersTag = new TupleTag<>("orders");
 * TupleTag<Account> accountsTag = new TupleTag<>("accounts");
 * TupleTag<Limit> limitsTag = new TupleTag<>("limits");
 * PCollection<KV<String, JoinRow>> rows =
 *     KeyedPCollectionTuple.of(ordersTag, orders)
 *         .and(accountsTag, accounts)
 *         .and(limitsTag, limits)
 *         .apply("JoinOrderContext", MultiJoin.<String>inner().withOptional(limitsTag));
 * }</pre>
 *
 * <p>Each tag is <em>required</em> (inner: a key without a value there has no rows) or
 * <em>optional</em> (outer: a key without a value there still has rows, with that side absent).
 * {@link #inner()} starts with every tag required, {@link #fullOuter()} with every tag optional;
 * {@link #withOptional} and {@link #withRequired} change single tags, the last call for a tag
 * winning. For a key whose required tags all have values, the rows are the cross product of every
 * tag's values, an optional tag without values counting as one absent side: with value counts
 * n<sub>1</sub>, ..., n<sub>N</sub> (an empty optional tag counting 1) that is their product, so
 * mind keys that are frequent on several inputs.
 *
 * <p>All inputs must encode keys with the same deterministic coder and be windowed the same way; on
 * windowed inputs the join is per window, as for {@link Join}.
 */
public final class MultiJoin<K>
    extends PTransform<KeyedPCollectionTuple<K>, PCollection<KV<K, JoinRow>>> {
  private static final long serialVersionUID = 1L;

  private final boolean optionalByDefault;

  /** Tag id to whether that tag is optional, overriding the default. */
  private final Map<String, Boolean> overrides;

  private MultiJoin(boolean optionalByDefault, Map<String, Boolean> overrides) {
    this.optionalByDefault = optionalByDefault;
    this.overrides = overrides;
  }

  /** Every tag required: rows only for keys present in every input. */
  public static <K> MultiJoin<K> inner() {
    return new MultiJoin<>(false, Map.of());
  }

  /** Every tag optional: rows for every key present in any input. */
  public static <K> MultiJoin<K> fullOuter() {
    return new MultiJoin<>(true, Map.of());
  }

  /** Makes {@code tags} optional: a key missing from one of them keeps its rows, side absent. */
  public MultiJoin<K> withOptional(TupleTag<?>... tags) {
    return withOverrides("withOptional", true, tags);
  }

  /** Makes {@code tags} required: a key missing from one of them has no rows. */
  public MultiJoin<K> withRequired(TupleTag<?>... tags) {
    return withOverrides("withRequired", false, tags);
  }

  private MultiJoin<K> withOverrides(String method, boolean optional, TupleTag<?>[] tags) {
    requireNonNull(tags, "MultiJoin." + method + ": tags");
    if (tags.length == 0) {
      throw new IllegalArgumentException("MultiJoin." + method + ": name at least one tag");
    }
    Map<String, Boolean> next = new LinkedHashMap<>(overrides);
    for (TupleTag<?> tag : tags) {
      requireNonNull(tag, "MultiJoin." + method + ": a tag was null");
      next.remove(tag.getId());
      next.put(tag.getId(), optional);
    }
    return new MultiJoin<>(optionalByDefault, Collections.unmodifiableMap(next));
  }

  @Override
  public PCollection<KV<K, JoinRow>> expand(KeyedPCollectionTuple<K> input) {
    String name = "MultiJoin";
    List<TaggedKeyedPCollection<K, ?>> parts = input.getKeyedCollections();
    if (parts.size() < 2) {
      throw new IllegalArgumentException(
          name + ": a join needs at least two tagged inputs, got " + parts.size());
    }
    List<TupleTag<?>> tags = new ArrayList<>();
    List<String> tagIds = new ArrayList<>();
    List<PCollection<?>> collections = new ArrayList<>();
    List<Coder<?>> keyCoders = new ArrayList<>();
    List<Coder<?>> valueCoders = new ArrayList<>();
    for (TaggedKeyedPCollection<K, ?> part : parts) {
      String id = part.getTupleTag().getId();
      KvCoder<K, ?> coder = kvCoder(name, id, part);
      tags.add(part.getTupleTag());
      tagIds.add(id);
      collections.add(part.getCollection());
      keyCoders.add(coder.getKeyCoder());
      valueCoders.add(coder.getValueCoder());
    }
    for (String id : overrides.keySet()) {
      if (!tagIds.contains(id)) {
        throw new IllegalArgumentException(
            String.format(
                "%s: withOptional/withRequired named tag '%s', which is not an input;"
                    + " the inputs are %s",
                name, id, tagIds));
      }
    }
    Coder<K> keyCoder = JoinInputs.commonKeyCoder(name, tagIds, keyCoders);
    JoinInputs.checkSameWindowing(name, tagIds, collections);

    boolean[] optional = new boolean[tags.size()];
    for (int i = 0; i < tags.size(); i++) {
      optional[i] = overrides.getOrDefault(tagIds.get(i), optionalByDefault);
    }
    return input
        .apply("CoGroupByKey", CoGroupByKey.create())
        .apply("CrossProduct", ParDo.of(new CrossProductFn<K>(tags, optional)))
        .setCoder(KvCoder.of(keyCoder, JoinRow.JoinRowCoder.of(tags, valueCoders)));
  }

  private static <K, V> KvCoder<K, V> kvCoder(
      String name, String id, TaggedKeyedPCollection<K, V> part) {
    return JoinInputs.kvCoder(name, id, part.getCollection());
  }

  /** Emits the cross product of one key's values over the tags, honouring required tags. */
  static final class CrossProductFn<K> extends DoFn<KV<K, CoGbkResult>, KV<K, JoinRow>> {
    private static final long serialVersionUID = 1L;

    private final ArrayList<TupleTag<?>> tags;
    private final boolean[] optional;

    CrossProductFn(List<TupleTag<?>> tags, boolean[] optional) {
      this.tags = new ArrayList<>(tags);
      this.optional = optional.clone();
    }

    @ProcessElement
    public void process(@Element KV<K, CoGbkResult> group, OutputReceiver<KV<K, JoinRow>> out) {
      int n = tags.size();
      List<List<Side<Object>>> choices = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        List<Side<Object>> values = new ArrayList<>();
        for (Object value : group.getValue().getAll(tags.get(i))) {
          values.add(Side.present(value));
        }
        if (values.isEmpty()) {
          if (!optional[i]) {
            return;
          }
          values.add(Side.absent());
        }
        choices.add(values);
      }
      // An odometer over the choices: the last tag turns fastest.
      int[] at = new int[n];
      while (true) {
        JoinRow.Builder row = JoinRow.builder();
        for (int i = 0; i < n; i++) {
          row.side(tags.get(i), choices.get(i).get(at[i]));
        }
        out.output(KV.of(group.getKey(), row.build()));
        int i = n - 1;
        while (i >= 0 && ++at[i] == choices.get(i).size()) {
          at[i] = 0;
          i--;
        }
        if (i < 0) {
          return;
        }
      }
    }
  }
}
