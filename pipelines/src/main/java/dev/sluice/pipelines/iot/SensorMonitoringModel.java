package dev.sluice.pipelines.iot;

import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.transforms.partition.StableHash;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.joda.time.Duration;

/**
 * The sensor monitoring computed without Beam: the independent expected answer for tests. Batch
 * semantics: all input is read before any window closes, so every window has exactly one, on-time
 * result. Lines that do not parse are skipped (the pipeline routes them to dead letters).
 *
 * <p>It follows the definitions of {@link SensorMonitoring} literally: it lists each device's
 * readings per sliding window {@code [s, s + size)} ({@code s} a multiple of the period) and per
 * period {@code [e - period, e)} ({@code e} a window end), then, for each device, formats every
 * window, judges every period against the window that ends where it starts, and reports every
 * window without readings that follows one with readings. The partition is {@link StableHash}'s
 * documented formula on the device id.
 */
public final class SensorMonitoringModel {
  private static final MathContext PRECISION = MathContext.DECIMAL128;

  private final long size;
  private final long period;
  private final int partitions;
  private final double factor;
  private final int minBaselineReadings;

  /** device → window start → readings; device → period start → readings. */
  private final Map<String, TreeMap<Long, List<SensorReading>>> windows = new TreeMap<>();

  private final Map<String, TreeMap<Long, List<SensorReading>>> periods = new TreeMap<>();

  public SensorMonitoringModel(
      Duration size, Duration period, int partitions, double factor, int minBaselineReadings) {
    this.size = size.getMillis();
    this.period = period.getMillis();
    this.partitions = partitions;
    this.factor = factor;
    this.minBaselineReadings = minBaselineReadings;
  }

  /** The model's lines per output: {@code ""} the stats, {@code ".alerts"} the alerts. */
  public static Map<String, List<String>> compute(
      List<String> inputLines,
      Duration size,
      Duration period,
      int partitions,
      double anomalyFactor,
      int minBaselineReadings) {
    SensorMonitoringModel model =
        new SensorMonitoringModel(size, period, partitions, anomalyFactor, minBaselineReadings);
    inputLines.forEach(model::add);
    return Map.of("", model.stats(), ".alerts", model.alerts());
  }

  /** Adds one raw input line; returns false if it does not parse. */
  public boolean add(String line) {
    SensorReading r;
    try {
      r = SensorReading.parse(line);
    } catch (InvalidRecordException e) {
      return false;
    }
    long t = r.timestampMillis();
    TreeMap<Long, List<SensorReading>> byWindow =
        windows.computeIfAbsent(r.device(), d -> new TreeMap<>());
    for (long start = t - Math.floorMod(t, period); start > t - size; start -= period) {
      byWindow.computeIfAbsent(start, s -> new ArrayList<>()).add(r);
    }
    long offset = size % period;
    long periodStart = t - Math.floorMod(t - offset, period);
    periods
        .computeIfAbsent(r.device(), d -> new TreeMap<>())
        .computeIfAbsent(periodStart, s -> new ArrayList<>())
        .add(r);
    return true;
  }

  /** One line per device and window, by window start then device. */
  public List<String> stats() {
    List<Line> lines = new ArrayList<>();
    windows.forEach(
        (device, byWindow) ->
            byWindow.forEach(
                (start, readings) -> {
                  Summary s = new Summary(readings);
                  lines.add(
                      new Line(
                          start,
                          device,
                          ResultLine.create()
                              .put("device", device)
                              .put("partition", partitionOf(device))
                              .put("count", s.count)
                              .put("min", s.min)
                              .put("mean", s.mean().doubleValue())
                              .put("max", s.max)
                              .finalWindow(start, start + size)
                              .toJson()));
                }));
    return sorted(lines);
  }

  /** The anomalies and silences, by window start then device (anomalies first). */
  public List<String> alerts() {
    List<Line> lines = new ArrayList<>();
    for (String device : windows.keySet()) {
      TreeMap<Long, List<SensorReading>> byWindow = windows.get(device);
      periods
          .get(device)
          .forEach(
              (periodStart, readings) -> {
                long baselineStart = periodStart - size;
                List<SensorReading> baseline = byWindow.get(baselineStart);
                if (baseline != null) {
                  String anomaly = anomaly(device, periodStart, readings, baselineStart, baseline);
                  if (anomaly != null) {
                    lines.add(new Line(periodStart, device, anomaly));
                  }
                }
              });
      byWindow.forEach(
          (start, readings) -> {
            long next = start + period;
            if (!byWindow.containsKey(next)) {
              Summary previous = new Summary(readings);
              lines.add(
                  new Line(
                      next,
                      device,
                      ResultLine.create()
                          .put("kind", "silent")
                          .put("device", device)
                          .put("partition", partitionOf(device))
                          .put("last_seen", ResultLine.instant(previous.lastSeen))
                          .put("previous_count", previous.count)
                          .finalWindow(next, next + size)
                          .toJson()));
            }
          });
    }
    return sorted(lines);
  }

  /** The anomaly line of one period, or null; see {@link AnomalyRule} for the rule. */
  private String anomaly(
      String device,
      long periodStart,
      List<SensorReading> readings,
      long baselineStart,
      List<SensorReading> baselineReadings) {
    Summary current = new Summary(readings);
    Summary baseline = new Summary(baselineReadings);
    if (baseline.count < minBaselineReadings) {
      return null;
    }
    BigDecimal n = BigDecimal.valueOf(baseline.count);
    // n^2 times the population variance, from the exact sums.
    BigDecimal spread =
        n.multiply(baseline.sumOfSquares).subtract(baseline.sum.multiply(baseline.sum));
    if (spread.signum() <= 0) {
      return null;
    }
    BigDecimal aboveMax = n.multiply(BigDecimal.valueOf(current.max)).subtract(baseline.sum).abs();
    BigDecimal belowMin = n.multiply(BigDecimal.valueOf(current.min)).subtract(baseline.sum).abs();
    double reading = aboveMax.compareTo(belowMin) >= 0 ? current.max : current.min;
    // z > factor  <=>  (n x - S)^2 (n - 1) > factor^2 n (n Q - S^2), all exact.
    BigDecimal distance = n.multiply(BigDecimal.valueOf(reading)).subtract(baseline.sum);
    BigDecimal f = BigDecimal.valueOf(factor);
    BigDecimal lhs = distance.pow(2).multiply(n.subtract(BigDecimal.ONE));
    BigDecimal rhs = f.pow(2).multiply(n).multiply(spread);
    if (lhs.compareTo(rhs) <= 0) {
      return null;
    }
    BigDecimal stdDev = baseline.sampleStdDev(PRECISION);
    BigDecimal mean = baseline.sum.divide(n, PRECISION);
    BigDecimal z =
        BigDecimal.valueOf(reading)
            .subtract(mean)
            .abs()
            .divide(stdDev, PRECISION)
            .setScale(4, RoundingMode.HALF_EVEN);
    return ResultLine.create()
        .put("kind", "anomaly")
        .put("device", device)
        .put("partition", partitionOf(device))
        .put("reading", reading)
        .put("z_score", z.doubleValue())
        .put("threshold", factor)
        .put("count", current.count)
        .put("min", current.min)
        .put("mean", current.mean().doubleValue())
        .put("max", current.max)
        .put("baseline_start", ResultLine.instant(baselineStart))
        .put("baseline_end", ResultLine.instant(baselineStart + size))
        .put("baseline_count", baseline.count)
        .put("baseline_mean", baseline.mean().doubleValue())
        .put("baseline_stddev", stdDev.setScale(4, RoundingMode.HALF_EVEN).doubleValue())
        .finalWindow(periodStart, periodStart + period)
        .toJson();
  }

  private int partitionOf(String device) {
    return StableHash.partitionOf(device, StringUtf8Coder.of(), partitions);
  }

  private static List<String> sorted(List<Line> lines) {
    lines.sort(Comparator.comparingLong((Line l) -> l.start).thenComparing(l -> l.device));
    List<String> out = new ArrayList<>(lines.size());
    lines.forEach(l -> out.add(l.json));
    return out;
  }

  private static final class Line {
    final long start;
    final String device;
    final String json;

    Line(long start, String device, String json) {
      this.start = start;
      this.device = device;
      this.json = json;
    }
  }

  /** A window's readings summed up by a plain loop, exactly. */
  private static final class Summary {
    final long count;
    final double min;
    final double max;
    final BigDecimal sum;
    final BigDecimal sumOfSquares;
    final long lastSeen;

    Summary(List<SensorReading> readings) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      BigDecimal s = BigDecimal.ZERO;
      BigDecimal q = BigDecimal.ZERO;
      long last = Long.MIN_VALUE;
      for (SensorReading r : readings) {
        BigDecimal v = new BigDecimal(Double.toString(r.value()));
        lo = Math.min(lo, r.value());
        hi = Math.max(hi, r.value());
        s = s.add(v);
        q = q.add(v.pow(2));
        last = Math.max(last, r.timestampMillis());
      }
      this.count = readings.size();
      this.min = lo;
      this.max = hi;
      this.sum = s;
      this.sumOfSquares = q;
      this.lastSeen = last;
    }

    BigDecimal mean() {
      return sum.divide(BigDecimal.valueOf(count), 4, RoundingMode.HALF_EVEN);
    }

    /** sqrt(sum of squared deviations / (n - 1)), from the exact sums. */
    BigDecimal sampleStdDev(MathContext mc) {
      BigDecimal n = BigDecimal.valueOf(count);
      BigDecimal squaredDeviations =
          sumOfSquares.subtract(sum.multiply(sum).divide(n, mc)); // Q - S^2/n
      return squaredDeviations.divide(n.subtract(BigDecimal.ONE), mc).sqrt(mc);
    }
  }
}
