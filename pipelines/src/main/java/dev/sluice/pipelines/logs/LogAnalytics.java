package dev.sluice.pipelines.logs;

import dev.sluice.pipelines.io.ReadParsed;
import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.pipelines.io.WriteDeadLetters;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.pipelines.options.TriggerOptions;
import dev.sluice.transforms.distinct.ApproximateDistinct;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.window.PaneLabel;
import dev.sluice.transforms.window.SlicedSlidingCombine;
import dev.sluice.transforms.window.WindowSpec;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Real-time analytics of web access logs: per service and status class over sliding event-time
 * windows, how many requests, how fast (latency percentiles), from how many clients, and per
 * service the share of server errors, with an alert when that share is too high.
 *
 * <pre>
 * read lines (file: glob or kafka:// topic) → parse Common/Combined Log Format or JSON (bad → dead
 * letters) → key by service → sliding windows (size, period) → one combine per service: per status
 * class requests, 5xx count, latency histogram, client sketch → per service and window, element-wise:
 * one line per status class, the classes added up into one "all" line, error rate ≥ threshold → alert
 * </pre>
 *
 * <p>Input: see {@link AccessLog} (formats, where the service and the latency come from, and what
 * is refused).
 *
 * <p><b>Output</b> ({@code --output}), JSON lines, one per service, status class and window:
 *
 * <pre>{@code
 * {"service":"api","status_class":"5xx","requests":12,"latency_samples":11,"p50_ms":180,
 *  "p95_ms":950,"p99_ms":950,"distinct_clients":9,"window_start":"2026-01-01T00:05:00Z",
 *  "window_end":"2026-01-01T00:10:00Z","pane":"ON_TIME"}
 * }</pre>
 *
 * and one per service and window with {@code "status_class":"all"}, which adds {@code errors}
 * (requests with a 5xx status) and {@code error_rate} ({@code errors / requests}, rounded half up
 * to 4 decimals) and whose percentiles and distinct clients are over all the service's requests:
 *
 * <pre>{@code
 * {"service":"api","status_class":"all","requests":40,"errors":12,"error_rate":0.3,
 *  "latency_samples":37,"p50_ms":42,"p95_ms":900,"p99_ms":950,"distinct_clients":31,...}
 * }</pre>
 *
 * <ul>
 *   <li>{@code requests}: every parsed request of the group in the window;
 *   <li>{@code latency_samples}: how many of them carried a latency; {@code p50_ms}, {@code p95_ms}
 *       and {@code p99_ms} are exact nearest-rank percentiles over those latencies in whole
 *       milliseconds ({@link LatencyHistogram}); the three fields are left out when no request of
 *       the group had a latency;
 *   <li>{@code distinct_clients}: distinct client addresses, a HyperLogLog estimate that is exact
 *       up to {@value TrafficStats#EXACT_CLIENTS} clients per line and about 1.6 % off (relative
 *       standard error) well above that ({@link TrafficStats}).
 * </ul>
 *
 * <p><b>Alerts</b> ({@code <output>.alerts}): one line per service and window whose error rate (not
 * rounded) is at least {@code --errorRateThreshold} with at least {@code --minRequests} requests,
 * with the evidence:
 *
 * <pre>{@code
 * {"service":"api","alert":"error-rate","requests":40,"errors":12,"error_rate":0.3,
 *  "threshold":0.05,"min_requests":20,"window_start":...,"window_end":...,"pane":"ON_TIME"}
 * }</pre>
 *
 * <p>By default each window fires once, when the watermark passes its end, so exactly one line per
 * key and window reaches each output on every runner, in batch and in streaming; the pane is {@code
 * ON_TIME}, pane 0, final (see {@link PaneLabel} for Flink batch).
 *
 * <p><b>Early and late results</b> ({@code --trigger}, a stream only): with early firings (e.g.
 * {@code --trigger=early=30s}) a window's lines also come as {@code EARLY} panes before it closes,
 * each the window's traffic so far (panes accumulate; {@code discarding} is refused: percentiles,
 * distinct clients and rates of a pane's new requests alone do not add up to the window's). Alerts
 * wait for the {@code ON_TIME} pane: an early rate is a guess, and an alert raised on it would
 * stand under its Kafka key for a window whose final rate stayed under the threshold. With a
 * lateness ({@code --trigger=lateness=1h}) a record behind the watermark but within it updates its
 * windows in {@code LATE} panes, and may raise a window's alert then; a late pane whose rate is
 * back under the threshold writes the alert line with {@code "cleared":true}, so the latest record
 * under an alert's key is never a withdrawn alert. A record further behind is a dead letter of kind
 * {@code late}. Kafka records are keyed by service, status class (alerts: kind) and window ({@link
 * dev.sluice.pipelines.io.WriteKafka}), so a compacted topic keeps each window's latest lines.
 */
public final class LogAnalytics {
  /** The HyperLogLog precision of the client sketches: 4096 registers. */
  public static final int CLIENT_SKETCH_LG_K = ApproximateDistinct.DEFAULT_LG_K;

  private LogAnalytics() {}

  /** Options of {@code ./sluice run log-analytics}. */
  public interface Options extends JobOptions, TriggerOptions {
    @Description("Window size, e.g. 5m, 1h")
    @Default.String("5m")
    String getWindowSize();

    void setWindowSize(String value);

    @Description("How often a new window starts (the slide), e.g. 1m; at most the window size")
    @Default.String("1m")
    String getWindowPeriod();

    void setWindowPeriod(String value);

    @Description(
        "Alert when a service's share of 5xx responses in a window is at least this, in (0, 1]")
    @Default.Double(0.05)
    double getErrorRateThreshold();

    void setErrorRateThreshold(double value);

    @Description("Alert only for windows where the service had at least this many requests")
    @Default.Integer(20)
    int getMinRequests();

    void setMinRequests(int value);
  }

  /** Builds the pipeline, checking every option first; nothing runs until the caller runs it. */
  public static Pipeline build(Options options) {
    WindowSpec windows =
        TriggerOptions.windowSpec(
            options.getWindowSize(),
            options.getWindowPeriod(),
            options,
            "log-analytics",
            "a pane's percentiles, distinct clients and error rate over its new requests alone do"
                + " not add up to the window's");
    double threshold = options.getErrorRateThreshold();
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException(
          "--errorRateThreshold: "
              + threshold
              + " is not allowed; use a share of requests in (0, 1], e.g. 0.05 for 5 %");
    }
    if (options.getMinRequests() < 1) {
      throw new IllegalArgumentException(
          "--minRequests: " + options.getMinRequests() + " is not allowed; use 1 or more");
    }
    JobOptions.checkNumShards(options);
    ReadParsed<AccessLog> read =
        ReadParsed.from("--input", options.getInput(), AccessLog::parse, AccessLog.Coder.of())
            .withEventTime(AccessLog::timestamp)
            .withAllowedLateness(windows.allowedLateness());
    WriteLines writeResults =
        WriteLines.to("--output", options.getOutput())
            .withNumShards(options.getNumShards())
            .withDefaultKeyFields("service,status_class");
    WriteLines writeAlerts =
        WriteLines.to("--output", WriteLines.besideOutput(options, "alerts"))
            .withNumShards(options.getNumShards())
            .withDefaultKeyFields("service,alert");
    WriteDeadLetters writeDeadLetters =
        WriteDeadLetters.to("--deadLetters", WriteLines.deadLettersOf(options));

    Pipeline pipeline = Pipeline.create(options);
    ParseOrDeadLetter.Result<AccessLog> logs = pipeline.apply("ReadAccessLogs", read);
    PCollectionTuple analysis =
        logs.parsed()
            .apply(
                "AnalyzeTraffic", new AnalyzeTraffic(windows, threshold, options.getMinRequests()));
    analysis.get(AnalyzeTraffic.RESULTS).apply("WriteResults", writeResults);
    analysis.get(AnalyzeTraffic.ALERTS).apply("WriteAlerts", writeAlerts);
    logs.deadLetters().apply("WriteDeadLetters", writeDeadLetters);
    return pipeline;
  }

  /**
   * Runs the job with Beam's own flag parsing, as any Beam pipeline's {@code main}. {@code ./sluice
   * run log-analytics} runs the same pipeline with checks before launch, progress and counts.
   */
  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    build(options).run().waitUntilFinish();
  }

  /** {@code errors / requests} rounded half up to 4 decimals, as the output writes it. */
  public static double roundedRate(long errors, long requests) {
    return Math.round(errors * 10_000.0 / requests) / 10_000.0;
  }

  /**
   * Timestamped requests in; the result lines ({@link #RESULTS}) and the alert lines ({@link
   * #ALERTS}) out, one per key and sliding window, as the class comment describes.
   */
  public static final class AnalyzeTraffic
      extends PTransform<PCollection<AccessLog>, PCollectionTuple> {
    public static final TupleTag<String> RESULTS = new TupleTag<>("results");
    public static final TupleTag<String> ALERTS = new TupleTag<>("alerts");

    private final WindowSpec windows;
    private final double errorRateThreshold;
    private final int minRequests;

    public AnalyzeTraffic(WindowSpec windows, double errorRateThreshold, int minRequests) {
      this.windows = windows;
      this.errorRateThreshold = errorRateThreshold;
      this.minRequests = minRequests;
    }

    @Override
    public PCollectionTuple expand(PCollection<AccessLog> requests) {
      // One combine per service and window, and everything after it element-wise: each window's
      // lines come from exactly one grouping, as triggers need for exact panes.
      PCollectionTuple lines =
          requests
              .apply("KeyByService", ParDo.of(new KeyByServiceFn()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), AccessLog.Coder.of()))
              // Each request summarized once into its period-long slice; a window adds up its
              // slices (SlicedSlidingCombine), instead of every request into size/period windows.
              .apply(
                  "SummarizePerService",
                  SlicedSlidingCombine.perKey(
                      ServiceTraffic.summarize(CLIENT_SKETCH_LG_K), windows))
              .apply(
                  "FormatLinesAndAlerts",
                  ParDo.of(new FormatServiceFn(errorRateThreshold, minRequests))
                      .withOutputTags(RESULTS, TupleTagList.of(ALERTS)));
      lines.get(RESULTS).setCoder(StringUtf8Coder.of());
      lines.get(ALERTS).setCoder(StringUtf8Coder.of());
      return lines;
    }
  }

  static final class KeyByServiceFn extends DoFn<AccessLog, KV<String, AccessLog>> {
    @ProcessElement
    public void process(@Element AccessLog request, OutputReceiver<KV<String, AccessLog>> out) {
      out.output(KV.of(request.service(), request));
    }
  }

  /** requests, latency_samples, p50/p95/p99 (when any), distinct_clients. */
  public static ResultLine putTraffic(ResultLine line, TrafficStats stats) {
    LatencyHistogram latencies = stats.latencies();
    line.put("latency_samples", latencies.count());
    if (!latencies.isEmpty()) {
      line.put("p50_ms", latencies.percentile(50))
          .put("p95_ms", latencies.percentile(95))
          .put("p99_ms", latencies.percentile(99));
    }
    return line.put("distinct_clients", stats.distinctClients());
  }

  /**
   * One service's window → its lines to {@link AnalyzeTraffic#RESULTS}: one per status class, then
   * the {@code all} line; and the error-rate alert, if its rate is high enough, to {@link
   * AnalyzeTraffic#ALERTS}.
   */
  static final class FormatServiceFn extends DoFn<KV<String, ServiceTraffic>, String> {
    private final double threshold;
    private final int minRequests;

    FormatServiceFn(double threshold, int minRequests) {
      this.threshold = threshold;
      this.minRequests = minRequests;
    }

    @ProcessElement
    public void process(
        @Element KV<String, ServiceTraffic> service,
        IntervalWindow window,
        PaneInfo pane,
        MultiOutputReceiver out) {
      String name = service.getKey();
      OutputReceiver<String> results = out.get(AnalyzeTraffic.RESULTS);
      for (Map.Entry<String, TrafficStats> group : service.getValue().byStatusClass().entrySet()) {
        TrafficStats stats = group.getValue();
        ResultLine line =
            ResultLine.create()
                .put("service", name)
                .put("status_class", group.getKey())
                .put("requests", stats.requests());
        results.output(putTraffic(line, stats).window(window, pane).toJson());
      }
      TrafficStats all = service.getValue().total();
      double rate = roundedRate(all.errors(), all.requests());
      ResultLine line =
          ResultLine.create()
              .put("service", name)
              .put("status_class", "all")
              .put("requests", all.requests())
              .put("errors", all.errors())
              .put("error_rate", rate);
      results.output(putTraffic(line, all).window(window, pane).toJson());
      // An early pane's rate is a guess: an alert raised on it could stand, under its Kafka key,
      // for a window whose final rate is below the threshold. Alerts wait for on-time data.
      PaneLabel label = PaneLabel.of(pane);
      if (label == PaneLabel.EARLY) {
        return;
      }
      boolean firing =
          all.requests() >= minRequests && (double) all.errors() / all.requests() >= threshold;
      if (!firing && label != PaneLabel.LATE) {
        return;
      }
      // In a late pane a rate back under the threshold is written as cleared: the on-time pane may
      // have raised the alert that this line replaces under its key.
      ResultLine alert = ResultLine.create().put("service", name).put("alert", "error-rate");
      if (!firing) {
        alert.put("cleared", true);
      }
      out.get(AnalyzeTraffic.ALERTS)
          .output(
              alert
                  .put("requests", all.requests())
                  .put("errors", all.errors())
                  .put("error_rate", rate)
                  .put("threshold", threshold)
                  .put("min_requests", minRequests)
                  .window(window, pane)
                  .toJson());
    }
  }
}
