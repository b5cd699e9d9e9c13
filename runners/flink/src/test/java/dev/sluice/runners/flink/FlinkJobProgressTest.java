package dev.sluice.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.launcher.RecordCounts;
import java.util.List;
import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.sdk.metrics.MetricName;
import org.junit.jupiter.api.Test;

/**
 * The accumulator text Flink's REST API shows is Beam's own {@code MetricsContainerStepMap}
 * printed; the probe reads back what Beam's metric containers counted.
 */
class FlinkJobProgressTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsBeamCountersFromTheAccumulatorAsFlinkShowsIt() throws Exception {
    MetricsContainerStepMap steps = new MetricsContainerStepMap();
    steps.getContainer("Parse").getCounter(MetricName.named("sluice.quality", "parsed")).inc(300);
    steps
        .getContainer("Parse")
        .getCounter(MetricName.named("sluice.quality", "dead_letters"))
        .inc(7);
    steps
        .getContainer("Write/CountLines")
        .getCounter(MetricName.named("sluice.io", "lines_written"))
        .inc(1_000_000_000_123L);
    steps.getContainer("Parse").getGauge(MetricName.named("sluice.quality", "gauge")).set(5);

    ObjectNode answer = JSON.createObjectNode();
    answer.putArray("job-accumulators");
    ObjectNode accumulator = answer.putArray("user-task-accumulators").addObject();
    accumulator.put("name", "__metricscontainers");
    accumulator.put("type", "MetricsAccumulator");
    accumulator.put("value", steps.toString());

    List<RecordCounts.Counter> counters = FlinkJobProgress.counters(answer);
    assertThat(
        counters,
        containsInAnyOrder(
            new RecordCounts.Counter("sluice.quality", "parsed", 300),
            new RecordCounts.Counter("sluice.quality", "dead_letters", 7),
            new RecordCounts.Counter("sluice.io", "lines_written", 1_000_000_000_123L)));
  }
}
