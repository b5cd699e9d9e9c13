package dev.sluice.pipelines.iot;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.sluice.transforms.partition.PartitionStats;
import dev.sluice.transforms.partition.StableHash;
import dev.sluice.transforms.quality.InvalidRecordException;
import dev.sluice.transforms.window.WindowSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The job's core transform on a runner, against the reference model. */
@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class MonitorSensorsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration SIZE = Duration.standardMinutes(5);
  private static final Duration PERIOD = Duration.standardMinutes(1);
  private static final int PARTITIONS = 4;
  private static final double FACTOR = 4.0;
  private static final int MIN_BASELINE = 5;

  private static String line(long offsetMillis, String device, double value) {
    return String.format(
        "{\"ts\":\"%s\",\"device\":\"%s\",\"value\":%s}",
        T0.plus(Duration.millis(offsetMillis)), device, value);
  }

  /**
   * Half an hour of three devices: "a" every 10 s around 20 with two spikes, "b" every 25 s around
   * 50 and silent from minute 10 to minute 20, "c" every 40 s around 1.
   */
  static List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 180; i++) {
      double value = i == 100 ? 35.0 : i == 150 ? 5.5 : 20 + ((i * 7) % 11 - 5) / 10.0;
      lines.add(line(i * 10_000L, "a", value));
    }
    for (int i = 0; i < 72; i++) {
      long t = i * 25_000L;
      if (t < 600_000 || t >= 1_200_000) {
        lines.add(line(t + 3_000, "b", 50 + ((i * 3) % 7) / 10.0));
      }
    }
    for (int i = 0; i < 45; i++) {
      lines.add(line(i * 40_000L + 7_000, "c", 1.0 + (i % 3) / 100.0));
    }
    return lines;
  }

  static Map<String, List<String>> model(List<String> lines) {
    return SensorMonitoringModel.compute(lines, SIZE, PERIOD, PARTITIONS, FACTOR, MIN_BASELINE);
  }

  static List<TimestampedValue<SensorReading>> readings(List<String> lines) {
    List<TimestampedValue<SensorReading>> readings = new ArrayList<>();
    for (String line : lines) {
      try {
        SensorReading r = SensorReading.parse(line);
        readings.add(TimestampedValue.of(r, r.timestamp()));
      } catch (InvalidRecordException e) {
        throw new AssertionError(e);
      }
    }
    return readings;
  }

  private static PCollectionTuple monitor(PCollection<SensorReading> readings) {
    return readings.apply(
        new SensorMonitoring.MonitorSensors(
            WindowSpec.sliding(SIZE, PERIOD), PARTITIONS, AnomalyRule.of(FACTOR, MIN_BASELINE)));
  }

  @Test
  void theTestDataHasBothKindsOfAlerts() {
    List<String> alerts = model(lines()).get(".alerts");
    assertThat(alerts, hasItem(startsWith("{\"kind\":\"anomaly\",\"device\":\"a\"")));
    assertThat(alerts, hasItem(startsWith("{\"kind\":\"silent\",\"device\":\"b\"")));
  }

  @Test
  void statsAndAlertsEqualTheModel(TestPipeline p) {
    List<String> lines = lines();
    PCollectionTuple out =
        monitor(p.apply(Create.timestamped(readings(lines)).withCoder(SensorReading.Coder.of())));
    Map<String, List<String>> expected = model(lines);
    PAssert.that(out.get(SensorMonitoring.MonitorSensors.STATS))
        .containsInAnyOrder(expected.get(""));
    PAssert.that(out.get(SensorMonitoring.MonitorSensors.ALERTS))
        .containsInAnyOrder(expected.get(".alerts"));
    p.run().waitUntilFinish();
  }

  /** In-order readings in chunks, the watermark following: each window fires once, on time. */
  @Test
  void aStreamWithAdvancingWatermarkGivesTheModelsAnswer(TestPipeline p) {
    List<String> lines = lines();
    List<TimestampedValue<SensorReading>> readings = readings(lines);
    readings.sort(Comparator.comparing(TimestampedValue::getTimestamp));
    TestStream.Builder<SensorReading> stream = TestStream.create(SensorReading.Coder.of());
    for (int from = 0; from < readings.size(); from += 50) {
      List<TimestampedValue<SensorReading>> chunk =
          readings.subList(from, Math.min(from + 50, readings.size()));
      stream =
          stream
              .addElements(
                  chunk.get(0), chunk.subList(1, chunk.size()).toArray(TimestampedValue[]::new))
              .advanceWatermarkTo(chunk.get(chunk.size() - 1).getTimestamp());
    }
    PCollectionTuple out = monitor(p.apply(stream.advanceWatermarkToInfinity()));
    Map<String, List<String>> expected = model(lines);
    PAssert.that(out.get(SensorMonitoring.MonitorSensors.STATS))
        .containsInAnyOrder(expected.get(""));
    PAssert.that(out.get(SensorMonitoring.MonitorSensors.ALERTS))
        .containsInAnyOrder(expected.get(".alerts"));
    p.run().waitUntilFinish();
  }

  /**
   * A reading behind the watermark, past every window and period it belongs to, is dropped: the
   * output is the model's for the on-time readings. Direct only, as in the word count: other
   * runners count a TestStream element that follows a watermark advance on time.
   */
  @Test
  @Tag("direct-only")
  void aReadingBehindTheWatermarkIsDropped(TestPipeline p) {
    List<String> onTime = List.of(line(30_000, "a", 1.0), line(400_000, "a", 2.0));
    String late = line(40_000, "a", 100.0);
    List<TimestampedValue<SensorReading>> r = readings(onTime);
    TestStream<SensorReading> stream =
        TestStream.create(SensorReading.Coder.of())
            .addElements(r.get(0))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(6)))
            .addElements(readings(List.of(late)).get(0), r.get(1))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = monitor(p.apply(stream));
    Map<String, List<String>> expected = model(onTime);
    PAssert.that(out.get(SensorMonitoring.MonitorSensors.STATS))
        .containsInAnyOrder(expected.get(""));
    PAssert.that(out.get(SensorMonitoring.MonitorSensors.ALERTS))
        .containsInAnyOrder(expected.get(".alerts"));
    p.run().waitUntilFinish();
  }

  /**
   * Every reading is counted in its device's partition, in the Beam counters {@code
   * sluice.partition/partition_<i>}. Direct only: the other runners' test results do not all report
   * metrics.
   */
  @Test
  @Tag("direct-only")
  void eachPartitionsReadingsAreCounted(TestPipeline p) {
    List<String> lines = lines();
    monitor(p.apply(Create.timestamped(readings(lines)).withCoder(SensorReading.Coder.of())));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long[] expected = new long[PARTITIONS];
    for (TimestampedValue<SensorReading> r : readings(lines)) {
      expected[StableHash.partitionOf(r.getValue().device(), StringUtf8Coder.of(), PARTITIONS)]++;
    }
    long[] counted = new long[PARTITIONS];
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(PartitionStats.METRICS_NAMESPACE))
                    .build())
            .getCounters()) {
      String name = counter.getName().getName();
      counted[Integer.parseInt(name.substring("partition_".length()))] += counter.getAttempted();
    }
    assertThat(counted, equalTo(expected));
  }
}
