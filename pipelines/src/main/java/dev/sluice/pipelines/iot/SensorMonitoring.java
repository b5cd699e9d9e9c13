package dev.sluice.pipelines.iot;

import dev.sluice.pipelines.io.ReadParsed;
import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.pipelines.io.WriteDeadLetters;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.pipelines.options.TriggerOptions;
import dev.sluice.transforms.join.Join;
import dev.sluice.transforms.join.Joined;
import dev.sluice.transforms.partition.HashPartition;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.window.WindowSpec;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * IoT sensor monitoring: per-device statistics in sliding event-time windows, and alerts for
 * readings that depart from a device's recent behaviour and for devices that fall silent.
 *
 * <pre>
 * read readings (file: glob or kafka:// topic)
 *   → parse {"ts","device","sensor"?,"value"} (bad → dead letters)
 *   → hash-partition by device → sliding windows (size, period)
 *   → count, min, mean, max per device → JSON lines {"device","partition","count","min",
 *     "mean","max","window_start","window_end","pane"}
 *   ↘ stats moved by one period, joined per device → alerts {"kind":"anomaly"|"silent",...}
 *     → &lt;output&gt;.alerts
 * </pre>
 *
 * <p><b>Windows.</b> Every sliding window {@code [s, s + size)}, {@code s} a multiple of the
 * period, fires once when the watermark passes its end (default trigger, no allowed lateness), so
 * each device and window has exactly one {@code ON_TIME} line on every runner. A window's end
 * {@code e} is always {@code size mod period} past a multiple of the period; the alerts work on the
 * <em>periods</em> {@code [e - period, e)} of that grid, the newest slice of each window.
 *
 * <p><b>Anomaly</b> ({@code "kind":"anomaly"}): the readings of a device in the period {@code [e -
 * period, e)} are judged against its baseline, the sliding window {@code [e - period - size, e -
 * period)} that ends where the period starts, by {@link AnomalyRule}: alert when the period's
 * reading furthest from the baseline mean lies more than {@code --anomalyFactor} baseline (sample)
 * standard deviations from it, the baseline holding at least {@code --minBaselineReadings} readings
 * that are not all equal. Evidence: the reading, its z-score, the period's count/min/mean/max, the
 * baseline's window, count, mean and standard deviation.
 *
 * <p><b>Silent</b> ({@code "kind":"silent"}): a device is silent in the window {@code [s, s +
 * size)} when it had at least one reading in the window one period earlier, {@code [s - period, s -
 * period + size)}, and none in this one: no reading for a whole window length, reported once, at
 * the first window without readings. Evidence: the latest reading's time ({@code last_seen}, in
 * {@code [s - period, s)}) and the count of the earlier window. At the end of a bounded input every
 * device falls silent this way.
 *
 * <p><b>Without state or timers</b> (Spark streaming has none): each window's result is moved to
 * the period grid, at its own end for the current window and one period later for the previous one,
 * and joined per device and period ({@link Join}, over CoGroupByKey): period stats ⋈ previous
 * window gives the anomalies, previous window ⟕ current window without a match gives the silences.
 * Sums are exact ({@link ReadingStats}), derived figures rounded half-even to 4 decimals.
 *
 * <p><b>Partitions.</b> Devices are hash-partitioned with {@link HashPartition} ({@code
 * --partitions}); the partition is in every line, and the per-partition reading counts are the Beam
 * counters {@code sluice.partition/partition_<i>}.
 */
public final class SensorMonitoring {
  private SensorMonitoring() {}

  /** Options of {@code ./sluice run iot-sensors}: readings in, statistics and alerts out. */
  public interface Options extends JobOptions, TriggerOptions {
    @Description("Window size, e.g. 10m, 1h")
    @Default.String("10m")
    String getWindowSize();

    void setWindowSize(String value);

    @Description("How often a new window starts (the slide), e.g. 1m; at most the window size")
    @Default.String("1m")
    String getWindowPeriod();

    void setWindowPeriod(String value);

    @Description("Number of hash partitions of the devices, 1 to 10000; shown in every line")
    @Default.Integer(4)
    int getPartitions();

    void setPartitions(int value);

    @Description(
        "Anomaly threshold: alert when a reading of the newest period lies more than this many"
            + " baseline standard deviations from the baseline mean (a number above 0)")
    @Default.Double(4.0)
    double getAnomalyFactor();

    void setAnomalyFactor(double value);

    @Description(
        "Fewest readings the baseline window needs before it can flag an anomaly (at least 2)")
    @Default.Integer(10)
    int getMinBaselineReadings();

    void setMinBaselineReadings(int value);
  }

  /** Builds the pipeline, checking every option first; nothing runs until the caller runs it. */
  public static Pipeline build(Options options) {
    WindowSpec windows =
        TriggerOptions.windowSpec(
            options.getWindowSize(),
            options.getWindowPeriod(),
            options,
            "iot-sensors",
            "a pane's count, min, mean and max over its new readings alone do not add up to the"
                + " window's");
    int partitions = options.getPartitions();
    if (partitions < 1 || partitions > 10_000) {
      throw new IllegalArgumentException(
          "--partitions: must be between 1 and 10000, was " + partitions);
    }
    double factor = options.getAnomalyFactor();
    if (!(factor > 0) || !Double.isFinite(factor)) {
      throw new IllegalArgumentException(
          "--anomalyFactor: must be a finite number above 0 (standard deviations), was " + factor);
    }
    if (options.getMinBaselineReadings() < 2) {
      throw new IllegalArgumentException(
          "--minBaselineReadings: must be at least 2 (a standard deviation needs two readings),"
              + " was "
              + options.getMinBaselineReadings());
    }
    JobOptions.checkNumShards(options);
    AnomalyRule rule = AnomalyRule.of(factor, options.getMinBaselineReadings());
    ReadParsed<SensorReading> read =
        ReadParsed.from(
                "--input", options.getInput(), SensorReading::parse, SensorReading.Coder.of())
            .withEventTime(SensorReading::timestamp)
            .withAllowedLateness(windows.allowedLateness());
    WriteLines writeStats =
        WriteLines.to("--output", options.getOutput())
            .withNumShards(options.getNumShards())
            .withDefaultKeyFields("device");
    WriteLines writeAlerts =
        WriteLines.to("--output", WriteLines.besideOutput(options, "alerts"))
            .withNumShards(options.getNumShards())
            .withDefaultKeyFields("device,kind");
    WriteDeadLetters writeDeadLetters =
        WriteDeadLetters.to("--deadLetters", WriteLines.deadLettersOf(options));

    Pipeline pipeline = Pipeline.create(options);
    ParseOrDeadLetter.Result<SensorReading> readings = pipeline.apply("ReadReadings", read);
    PCollectionTuple results =
        readings.parsed().apply("MonitorSensors", new MonitorSensors(windows, partitions, rule));
    results.get(MonitorSensors.STATS).apply("WriteStats", writeStats);
    results.get(MonitorSensors.ALERTS).apply("WriteAlerts", writeAlerts);
    readings.deadLetters().apply("WriteDeadLetters", writeDeadLetters);
    return pipeline;
  }

  /**
   * Runs the job with Beam's own flag parsing, as any Beam pipeline's {@code main}. {@code ./sluice
   * run iot-sensors} runs the same pipeline with checks before launch, progress and counts.
   */
  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    build(options).run().waitUntilFinish();
  }

  /**
   * Timestamped readings in; two outputs of JSON lines: {@link #STATS}, one line per device and
   * sliding window, and {@link #ALERTS}, the anomalies and silences (see {@link SensorMonitoring}).
   */
  public static final class MonitorSensors
      extends PTransform<PCollection<SensorReading>, PCollectionTuple> {
    /** One line per device and sliding window. */
    public static final TupleTag<String> STATS = new TupleTag<>("stats");

    /** One line per anomaly or silence. */
    public static final TupleTag<String> ALERTS = new TupleTag<>("alerts");

    private final WindowSpec windows;
    private final int partitions;
    private final AnomalyRule rule;

    public MonitorSensors(WindowSpec windows, int partitions, AnomalyRule rule) {
      this.windows = windows;
      this.partitions = partitions;
      this.rule = rule;
    }

    @Override
    public PCollectionTuple expand(PCollection<SensorReading> readings) {
      PCollection<KV<DeviceKey, SensorReading>> byDevice =
          readings.apply("PartitionByDevice", new PartitionByDevice(partitions));
      WindowSpec statsWindows = windows.windowFor(readings);
      PCollection<KV<DeviceKey, ReadingStats>> windowStats =
          byDevice
              .apply("SlidingWindows", statsWindows.<KV<DeviceKey, SensorReading>>window())
              .apply("StatsPerDeviceAndWindow", Combine.perKey(ReadingStats.combineFn()));
      PCollection<String> stats =
          windowStats
              .apply("FormatWindowStats", ParDo.of(new FormatStatsFn()))
              .setCoder(StringUtf8Coder.of());
      // Alerts compare whole windows: with early or late panes, they are judged on each window's
      // on-time figures, from windows of their own with the default trigger.
      WindowSpec finalWindows = WindowSpec.sliding(windows.size(), windows.every());
      PCollection<KV<DeviceKey, ReadingStats>> finalStats =
          statsWindows.hasDefaultTrigger()
              ? windowStats
              : byDevice
                  .apply("FinalSlidingWindows", finalWindows.<KV<DeviceKey, SensorReading>>window())
                  .apply("FinalStatsPerDeviceAndWindow", Combine.perKey(ReadingStats.combineFn()));
      PCollection<String> alerts =
          finalStats.apply(
              "DetectAlerts", new DetectAlerts(windows.size(), windows.every(), rule, byDevice));
      return PCollectionTuple.of(STATS, stats).and(ALERTS, alerts);
    }
  }

  /**
   * Keys each reading by its device and the device's hash partition ({@link HashPartition}, which
   * also counts each partition's readings in the counters {@code sluice.partition/partition_<i>}).
   */
  public static final class PartitionByDevice
      extends PTransform<PCollection<SensorReading>, PCollection<KV<DeviceKey, SensorReading>>> {
    private final int partitions;

    public PartitionByDevice(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public PCollection<KV<DeviceKey, SensorReading>> expand(PCollection<SensorReading> readings) {
      return readings
          .apply(
              "KeyByDevice",
              MapElements.into(
                      TypeDescriptors.kvs(
                          TypeDescriptors.strings(), TypeDescriptor.of(SensorReading.class)))
                  .via(r -> KV.of(r.device(), r)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), SensorReading.Coder.of()))
          .apply("HashPartition", HashPartition.of(partitions).<String, SensorReading>assign())
          .apply(
              "KeyByDeviceAndPartition",
              MapElements.into(
                      TypeDescriptors.kvs(
                          TypeDescriptor.of(DeviceKey.class),
                          TypeDescriptor.of(SensorReading.class)))
                  .via(
                      (KV<Integer, KV<String, SensorReading>> p) ->
                          KV.of(
                              new DeviceKey(p.getValue().getKey(), p.getKey()),
                              p.getValue().getValue())))
          .setCoder(KvCoder.of(DeviceKey.Coder.of(), SensorReading.Coder.of()));
    }
  }

  /**
   * The alerts, from the per-device sliding-window stats (the input) and the keyed readings (given
   * to the constructor). See {@link SensorMonitoring} for the definitions.
   */
  public static final class DetectAlerts
      extends PTransform<PCollection<KV<DeviceKey, ReadingStats>>, PCollection<String>> {
    private final Duration size;
    private final Duration period;
    private final AnomalyRule rule;
    // A PCollection is part of the graph, not configuration to serialize (as in Join).
    private final transient PCollection<KV<DeviceKey, SensorReading>> readings;

    public DetectAlerts(
        Duration size,
        Duration period,
        AnomalyRule rule,
        PCollection<KV<DeviceKey, SensorReading>> readings) {
      this.size = size;
      this.period = period;
      this.rule = rule;
      this.readings = readings;
    }

    @Override
    public PCollection<String> expand(PCollection<KV<DeviceKey, ReadingStats>> windowStats) {
      // The periods [e - period, e), e the end of a sliding window.
      FixedWindows periods =
          FixedWindows.of(period)
              .withOffset(Duration.millis(size.getMillis() % period.getMillis()));
      PCollection<KV<DeviceKey, WindowStats>> currentWindows =
          windowStats.apply("CurrentWindowAtItsEnd", new MoveToPeriod(periods, Duration.ZERO));
      PCollection<KV<DeviceKey, WindowStats>> previousWindows =
          windowStats.apply("PreviousWindowOnePeriodLater", new MoveToPeriod(periods, period));
      PCollection<KV<DeviceKey, WindowStats>> periodStats =
          readings
              .apply("PeriodWindows", Window.<KV<DeviceKey, SensorReading>>into(periods))
              .apply("StatsPerDeviceAndPeriod", Combine.perKey(ReadingStats.combineFn()))
              .apply("WithItsPeriod", new MoveToPeriod(periods, Duration.ZERO));

      PCollection<String> anomalies =
          periodStats
              .apply(
                  "JoinPeriodWithBaseline",
                  Join.<DeviceKey, WindowStats, WindowStats>inner(previousWindows))
              .apply("JudgeAnomalies", ParDo.of(new AnomalyFn(rule)))
              .setCoder(StringUtf8Coder.of());
      PCollection<String> silences =
          previousWindows
              .apply(
                  "JoinPreviousWithCurrentWindow",
                  Join.<DeviceKey, WindowStats, WindowStats>leftOuter(currentWindows))
              .apply("FindSilentDevices", ParDo.of(new SilenceFn(period)))
              .setCoder(StringUtf8Coder.of());
      return PCollectionList.of(anomalies).and(silences).apply("AllAlerts", Flatten.pCollections());
    }
  }

  /**
   * Moves each window's stats into the period {@code [e + shift - period, e + shift)}, {@code e}
   * the end of its window, carrying the window's bounds along: timestamped at {@code e + shift -
   * 1ms} (never earlier than its own timestamp, the window's last instant, so never late), then
   * re-windowed into the periods.
   */
  static final class MoveToPeriod
      extends PTransform<
          PCollection<KV<DeviceKey, ReadingStats>>, PCollection<KV<DeviceKey, WindowStats>>> {
    private final FixedWindows periods;
    private final Duration shift;

    MoveToPeriod(FixedWindows periods, Duration shift) {
      this.periods = periods;
      this.shift = shift;
    }

    @Override
    public PCollection<KV<DeviceKey, WindowStats>> expand(
        PCollection<KV<DeviceKey, ReadingStats>> stats) {
      return stats
          .apply("WithWindowBounds", ParDo.of(new WithWindowBoundsFn(shift)))
          .setCoder(KvCoder.of(DeviceKey.Coder.of(), WindowStats.Coder.of()))
          .apply("IntoPeriods", Window.<KV<DeviceKey, WindowStats>>into(periods));
    }
  }

  static final class WithWindowBoundsFn
      extends DoFn<KV<DeviceKey, ReadingStats>, KV<DeviceKey, WindowStats>> {
    private final Duration shift;

    WithWindowBoundsFn(Duration shift) {
      this.shift = shift;
    }

    @ProcessElement
    public void process(
        @Element KV<DeviceKey, ReadingStats> stats,
        IntervalWindow window,
        OutputReceiver<KV<DeviceKey, WindowStats>> out) {
      WindowStats bounded =
          new WindowStats(window.start().getMillis(), window.end().getMillis(), stats.getValue());
      Instant at = window.maxTimestamp().plus(shift);
      out.outputWithTimestamp(KV.of(stats.getKey(), bounded), at);
    }
  }

  static final class FormatStatsFn extends DoFn<KV<DeviceKey, ReadingStats>, String> {
    @ProcessElement
    public void process(
        @Element KV<DeviceKey, ReadingStats> stats,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<String> out) {
      ReadingStats s = stats.getValue();
      out.output(
          ResultLine.create()
              .put("device", stats.getKey().device())
              .put("partition", stats.getKey().partition())
              .put("count", s.count())
              .put("min", s.min())
              .put("mean", s.mean().doubleValue())
              .put("max", s.max())
              .window(window, pane)
              .toJson());
    }
  }

  /** Period stats (left) with the baseline window (right): an alert line if the rule says so. */
  static final class AnomalyFn
      extends DoFn<KV<DeviceKey, Joined<WindowStats, WindowStats>>, String> {
    private final AnomalyRule rule;

    AnomalyFn(AnomalyRule rule) {
      this.rule = rule;
    }

    @ProcessElement
    public void process(
        @Element KV<DeviceKey, Joined<WindowStats, WindowStats>> row,
        PaneInfo pane,
        OutputReceiver<String> out) {
      WindowStats current = row.getValue().left().get();
      WindowStats baseline = row.getValue().right().get();
      AnomalyRule.Evidence evidence = rule.judge(current.stats(), baseline.stats());
      if (evidence == null) {
        return;
      }
      ReadingStats c = current.stats();
      ReadingStats b = baseline.stats();
      out.output(
          ResultLine.create()
              .put("kind", "anomaly")
              .put("device", row.getKey().device())
              .put("partition", row.getKey().partition())
              .put("reading", evidence.reading())
              .put("z_score", evidence.zScore().doubleValue())
              .put("threshold", rule.factor())
              .put("count", c.count())
              .put("min", c.min())
              .put("mean", c.mean().doubleValue())
              .put("max", c.max())
              .put("baseline_start", ResultLine.instant(baseline.startMillis()))
              .put("baseline_end", ResultLine.instant(baseline.endMillis()))
              .put("baseline_count", b.count())
              .put("baseline_mean", b.mean().doubleValue())
              .put("baseline_stddev", b.sampleStdDev().doubleValue())
              .window(current.startMillis(), current.endMillis(), pane)
              .toJson());
    }
  }

  /** Previous window (left) with the current one (right): a silence where the right is absent. */
  static final class SilenceFn
      extends DoFn<KV<DeviceKey, Joined<WindowStats, WindowStats>>, String> {
    private final Duration period;

    SilenceFn(Duration period) {
      this.period = period;
    }

    @ProcessElement
    public void process(
        @Element KV<DeviceKey, Joined<WindowStats, WindowStats>> row,
        PaneInfo pane,
        OutputReceiver<String> out) {
      if (row.getValue().right().isPresent()) {
        return;
      }
      WindowStats previous = row.getValue().left().get();
      out.output(
          ResultLine.create()
              .put("kind", "silent")
              .put("device", row.getKey().device())
              .put("partition", row.getKey().partition())
              .put("last_seen", ResultLine.instant(previous.stats().lastSeenMillis()))
              .put("previous_count", previous.stats().count())
              .window(
                  previous.startMillis() + period.getMillis(),
                  previous.endMillis() + period.getMillis(),
                  pane)
              .toJson());
    }
  }
}
