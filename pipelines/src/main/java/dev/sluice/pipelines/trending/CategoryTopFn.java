package dev.sluice.pipelines.trending;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.KV;

/**
 * One category's top list in one combine: its clicks ({@code KV(item, user)}) tallied per item with
 * {@link ClickTallyFn}, then the {@code topN} items by {@link ItemScore#RANKING}, best first.
 *
 * <p>Why one combine per category rather than a tally per item and then {@code Top.perKey}: each
 * window's top list then comes from exactly one grouping. With early or late panes a second
 * grouping would see each item's accumulating tally once per pane, the same item several times in
 * one top list. Accumulators merge (counts add, sketches unite), so the combine is lifted before
 * the shuffle and can be built from slices ({@code SlicedSlidingCombine}) or salted sub-keys
 * ({@code SaltedCombine}).
 */
public final class CategoryTopFn
    extends CombineFn<KV<String, String>, Map<String, ClickTallyFn.Accum>, List<ItemScore>> {
  private static final long serialVersionUID = 1L;

  private final ClickTallyFn tally = ClickTallyFn.create();
  private final int topN;

  private CategoryTopFn(int topN) {
    this.topN = topN;
  }

  /** The {@code topN} items of a category, {@code topN} at least 1. */
  public static CategoryTopFn of(int topN) {
    if (topN < 1) {
      throw new IllegalArgumentException("a top list holds at least 1 item, was " + topN);
    }
    return new CategoryTopFn(topN);
  }

  @Override
  public Map<String, ClickTallyFn.Accum> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<String, ClickTallyFn.Accum> addInput(
      Map<String, ClickTallyFn.Accum> items, KV<String, String> click) {
    ClickTallyFn.Accum item = items.computeIfAbsent(click.getKey(), k -> tally.createAccumulator());
    items.put(click.getKey(), tally.addInput(item, click.getValue()));
    return items;
  }

  @Override
  public Map<String, ClickTallyFn.Accum> mergeAccumulators(
      Iterable<Map<String, ClickTallyFn.Accum>> accumulators) {
    Map<String, ClickTallyFn.Accum> merged = new HashMap<>();
    for (Map<String, ClickTallyFn.Accum> items : accumulators) {
      items.forEach(
          (item, accum) ->
              merged.merge(item, accum, (a, b) -> tally.mergeAccumulators(List.of(a, b))));
    }
    return merged;
  }

  @Override
  public List<ItemScore> extractOutput(Map<String, ClickTallyFn.Accum> items) {
    List<ItemScore> scores = new ArrayList<>(items.size());
    items.forEach(
        (item, accum) -> {
          ClickTallyFn.Tally t = tally.extractOutput(accum);
          scores.add(new ItemScore(item, t.clicks(), t.distinctUsers()));
        });
    scores.sort(ItemScore.RANKING.reversed());
    return new ArrayList<>(scores.subList(0, Math.min(topN, scores.size())));
  }

  @Override
  public Coder<Map<String, ClickTallyFn.Accum>> getAccumulatorCoder(
      CoderRegistry registry, Coder<KV<String, String>> inputCoder)
      throws CannotProvideCoderException {
    return MapCoder.of(
        StringUtf8Coder.of(), tally.getAccumulatorCoder(registry, StringUtf8Coder.of()));
  }

  @Override
  public Coder<List<ItemScore>> getDefaultOutputCoder(
      CoderRegistry registry, Coder<KV<String, String>> inputCoder) {
    return ListCoder.of(ItemScore.Coder.of());
  }

  /** The input coder: item, user. */
  static KvCoder<String, String> clickCoder() {
    return KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
  }
}
