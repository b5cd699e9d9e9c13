package dev.sluice.transforms.partition;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class RoundRobinPartitionTest {
  @Test
  void aWorkerDealsConsecutiveElementsToConsecutivePartitionsStartingAtTheFirstOnesHash() {
    RoundRobinCursor<String> cursor = new RoundRobinCursor<>(StringUtf8Coder.of());
    int k = 4;
    // The start is the stable hash of the first element ("a"), halved to stay positive; the same
    // element later does not restart the deal.
    int start = (int) ((ReferenceHash.h1(ReferenceHash.utf8("a")) >>> 1) % k);
    for (int i = 0; i < 10; i++) {
      assertThat("element " + i, (int) (cursor.next("a") % k), equalTo((start + i) % k));
    }
    RoundRobinCursor<String> sameInput = new RoundRobinCursor<>(StringUtf8Coder.of());
    assertThat((int) (sameInput.next("a") % k), equalTo(start));
  }

  @Test
  void spreadsRepeatedElementsEvenlyWhereHashingCannotAndKeepsEveryElementOnce(TestPipeline p) {
    // 1000 elements but only two distinct values: hashing can fill at most 2 of 4 partitions.
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      lines.add(i % 2 == 0 ? "GET /" : "GET /health");
    }
    PCollection<String> input = p.apply(Create.of(lines));
    PCollectionList<String> lanes = input.apply("Lanes", RoundRobinPartition.of(4).split());
    PCollection<PartitionStats> stats =
        input
            .apply("Tag", RoundRobinPartition.of(4).assign())
            .apply("Load", PartitionStats.globally(4));
    PCollection<PartitionStats> hashed =
        input
            .apply(
                "KeyByLine",
                WithKeys.<String, String>of(line -> line).withKeyType(TypeDescriptors.strings()))
            .apply("HashTag", HashPartition.of(4).assign())
            .apply("HashLoad", PartitionStats.globally(4));

    PAssert.thatSingleton(hashed)
        .satisfies(
            load -> {
              assertThat(load.max(), greaterThanOrEqualTo(500L));
              return null;
            });
    PAssert.that(lanes.apply(Flatten.pCollections())).containsInAnyOrder(lines);
    PAssert.thatSingleton(stats)
        .satisfies(
            load -> {
              System.out.println("round robin over 2 distinct values: " + load);
              // Each worker is balanced to within one element, so each partition is within one
              // element per worker of 250; no runner here uses anywhere near 50 workers.
              for (int i = 0; i < 4; i++) {
                assertThat(
                    "partition " + i,
                    load.count(i),
                    both(greaterThanOrEqualTo(200L)).and(lessThanOrEqualTo(300L)));
              }
              return null;
            });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long[] counted = PartitionMetrics.counts(result, "Lanes", 4);
    assertThat(counted[0] + counted[1] + counted[2] + counted[3], equalTo(1000L));
  }
}
