package dev.sluice.transforms.partition;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Routes elements tagged with their partition ({@code KV<partition, element>}) to one output per
 * partition, in one multi-output ParDo: the shared second half of every {@code split()}.
 */
final class SplitByPartition<T>
    extends PTransform<PCollection<KV<Integer, T>>, PCollectionList<T>> {
  private final int numPartitions;
  private final Coder<T> elementCoder;

  SplitByPartition(int numPartitions, Coder<T> elementCoder) {
    this.numPartitions = numPartitions;
    this.elementCoder = elementCoder;
  }

  @Override
  public PCollectionList<T> expand(PCollection<KV<Integer, T>> input) {
    List<TupleTag<T>> tags = new ArrayList<>(numPartitions);
    for (int i = 0; i < numPartitions; i++) {
      tags.add(new TupleTag<T>("partition_" + i));
    }
    List<TupleTag<?>> others = new ArrayList<>(tags.subList(1, numPartitions));
    PCollectionTuple routed =
        input.apply(
            "Route",
            ParDo.of(new RouteFn<>(tags)).withOutputTags(tags.get(0), TupleTagList.of(others)));
    PCollectionList<T> partitions = PCollectionList.empty(input.getPipeline());
    for (TupleTag<T> tag : tags) {
      partitions = partitions.and(routed.get(tag).setCoder(elementCoder));
    }
    return partitions;
  }

  static final class RouteFn<T> extends DoFn<KV<Integer, T>, T> {
    private final List<TupleTag<T>> tags;

    RouteFn(List<TupleTag<T>> tags) {
      this.tags = tags;
    }

    @ProcessElement
    public void process(@Element KV<Integer, T> tagged, MultiOutputReceiver out) {
      out.get(tags.get(tagged.getKey())).output(tagged.getValue());
    }
  }
}
