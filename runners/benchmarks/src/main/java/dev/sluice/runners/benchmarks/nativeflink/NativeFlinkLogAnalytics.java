package dev.sluice.runners.benchmarks.nativeflink;

import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.pipelines.logs.AccessLog;
import dev.sluice.pipelines.logs.LatencyHistogram;
import dev.sluice.pipelines.logs.LogAnalytics;
import dev.sluice.pipelines.logs.TrafficStats;
import dev.sluice.transforms.distinct.ApproximateDistinct;
import dev.sluice.transforms.distinct.SketchAccumulator;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The access-log analytics written with Flink's own DataStream API, as a Flink user would write it
 * instead of the Beam pipeline {@code log-analytics}: parse Common/Combined/JSON lines (bad lines
 * to a side output) into a small POJO of what the statistics use, key by service, sliding
 * event-time windows, one incremental aggregate per service that keeps each status class's figures
 * (count, 5xx count, {@link LatencyHistogram}, the client sketch of {@link
 * ApproximateDistinct.SketchFn}), then per window one line per status class, the service's {@code
 * all} line (the classes added up with {@link TrafficStats#sum}) and the error-rate alert as a side
 * output.
 *
 * <p>The Beam job has the same shape (one combine per service whose accumulator holds the classes
 * side by side), but builds its sliding windows from period-long slices ({@code
 * SlicedSlidingCombine}), where here each request is added to each of its windows.
 */
public final class NativeFlinkLogAnalytics implements NativeFlinkJob {
  /** The error-rate alerts, a side output of the window function. */
  static final OutputTag<String> ALERTS = new OutputTag<>("alerts") {};

  private final Duration size;
  private final Duration period;
  private final double errorRateThreshold;
  private final int minRequests;

  public NativeFlinkLogAnalytics(
      Duration size, Duration period, double errorRateThreshold, int minRequests) {
    this.size = size;
    this.period = period;
    this.errorRateThreshold = errorRateThreshold;
    this.minRequests = minRequests;
  }

  @Override
  public String name() {
    return "log-analytics";
  }

  @Override
  public void build(StreamExecutionEnvironment env, NativeFlinkIo io) {
    SingleOutputStreamOperator<Request> requests =
        io.readLines(env).process(new ParseFn()).name("ParseAccessLogs");
    io.writeLines(requests.getSideOutput(DeadLetters.TAG), NativeFlinkIo.Output.DEAD_LETTERS);
    SingleOutputStreamOperator<String> results =
        requests
            .assignTimestampsAndWatermarks(
                io.eventTime((Request request, long previous) -> request.timestampMillis))
            .keyBy(request -> request.service)
            .window(SlidingEventTimeWindows.of(size, period))
            .aggregate(
                new SummarizeStatusClasses(LogAnalytics.CLIENT_SKETCH_LG_K),
                new FormatService(LogAnalytics.CLIENT_SKETCH_LG_K, errorRateThreshold, minRequests))
            .name("AnalyzeTrafficPerService");
    io.writeLines(results, NativeFlinkIo.Output.RESULTS);
    io.writeLines(results.getSideOutput(ALERTS), NativeFlinkIo.Output.ALERTS);
  }

  /** What the statistics use of a request: a Flink POJO, so the shuffle needs no Kryo. */
  public static final class Request {
    public long timestampMillis;
    public String service;
    public String statusClass;
    public boolean serverError;

    /** Whole milliseconds, rounded as {@link AccessLog#latencyMillis()} does; -1 if none. */
    public int latencyMillis;

    public String client;

    public Request() {}

    static Request of(AccessLog log) {
      Request request = new Request();
      request.timestampMillis = log.timestampMillis();
      request.service = log.service();
      request.statusClass = log.statusClass();
      request.serverError = log.isServerError();
      request.latencyMillis = log.hasLatency() ? log.latencyMillis() : -1;
      request.client = log.client();
      return request;
    }
  }

  /** A line → a request, or its raw text and reason to the dead-letter side output. */
  static final class ParseFn extends ProcessFunction<String, Request> {
    @Override
    public void processElement(String line, Context context, Collector<Request> out) {
      try {
        out.collect(Request.of(AccessLog.parse(line)));
      } catch (InvalidRecordException e) {
        context.output(DeadLetters.TAG, DeadLetters.line(line, e));
      }
    }
  }

  /**
   * One status class's running figures in one window. The histogram and the sketch are Sluice's own
   * mutable accumulators; window state stays on the heap (batch mode, or a stream's default state
   * backend without checkpoints), so the Kryo type Flink infers for them is never used.
   */
  public static final class ClassFigures {
    public long requests;
    public long errors;
    public LatencyHistogram latencies = LatencyHistogram.empty();
    public SketchAccumulator clients;

    public ClassFigures() {}
  }

  /** A service's figures in one window, by status class. */
  public static final class ServiceFigures {
    public Map<String, ClassFigures> classes = new TreeMap<>();

    public ServiceFigures() {}
  }

  /** Adds requests up per status class, incrementally; merges as the Beam combine does. */
  static final class SummarizeStatusClasses
      implements AggregateFunction<Request, ServiceFigures, ServiceFigures> {
    private final ApproximateDistinct.SketchFn<String> sketch;

    SummarizeStatusClasses(int lgK) {
      this.sketch = ApproximateDistinct.SketchFn.of(StringUtf8Coder.of()).withLgK(lgK);
    }

    @Override
    public ServiceFigures createAccumulator() {
      return new ServiceFigures();
    }

    @Override
    public ServiceFigures add(Request request, ServiceFigures service) {
      ClassFigures figures = service.classes.computeIfAbsent(request.statusClass, c -> fresh());
      figures.requests++;
      if (request.serverError) {
        figures.errors++;
      }
      if (request.latencyMillis >= 0) {
        figures.latencies.add(request.latencyMillis);
      }
      figures.clients = sketch.addInput(figures.clients, request.client);
      return service;
    }

    @Override
    public ServiceFigures getResult(ServiceFigures service) {
      return service;
    }

    @Override
    public ServiceFigures merge(ServiceFigures a, ServiceFigures b) {
      b.classes.forEach(
          (statusClass, other) -> {
            ClassFigures figures = a.classes.computeIfAbsent(statusClass, c -> fresh());
            figures.requests += other.requests;
            figures.errors += other.errors;
            figures.latencies.addAll(other.latencies);
            figures.clients = sketch.mergeAccumulators(List.of(figures.clients, other.clients));
          });
      return a;
    }

    private ClassFigures fresh() {
      ClassFigures figures = new ClassFigures();
      figures.clients = sketch.createAccumulator();
      return figures;
    }
  }

  /**
   * A service's window → one result line per status class and its {@code all} line; the alert, if
   * its error rate is high enough, to {@link #ALERTS}. The same lines as {@code log-analytics}.
   */
  static final class FormatService
      extends ProcessWindowFunction<ServiceFigures, String, String, TimeWindow> {
    private final ApproximateDistinct.SketchFn<String> sketch;
    private final double threshold;
    private final int minRequests;

    FormatService(int lgK, double threshold, int minRequests) {
      this.sketch = ApproximateDistinct.SketchFn.of(StringUtf8Coder.of()).withLgK(lgK);
      this.threshold = threshold;
      this.minRequests = minRequests;
    }

    @Override
    public void process(
        String service, Context context, Iterable<ServiceFigures> figures, Collector<String> out) {
      long start = context.window().getStart();
      long end = context.window().getEnd();
      List<TrafficStats> perClass = new ArrayList<>();
      for (Map.Entry<String, ClassFigures> entry : figures.iterator().next().classes.entrySet()) {
        ClassFigures f = entry.getValue();
        TrafficStats stats =
            new TrafficStats(f.requests, f.errors, f.latencies, sketch.extractOutput(f.clients));
        perClass.add(stats);
        ResultLine line =
            ResultLine.create()
                .put("service", service)
                .put("status_class", entry.getKey())
                .put("requests", stats.requests());
        out.collect(LogAnalytics.putTraffic(line, stats).finalWindow(start, end).toJson());
      }
      TrafficStats all = TrafficStats.sum(perClass);
      double rate = LogAnalytics.roundedRate(all.errors(), all.requests());
      ResultLine line =
          ResultLine.create()
              .put("service", service)
              .put("status_class", "all")
              .put("requests", all.requests())
              .put("errors", all.errors())
              .put("error_rate", rate);
      out.collect(LogAnalytics.putTraffic(line, all).finalWindow(start, end).toJson());
      if (all.requests() >= minRequests && (double) all.errors() / all.requests() >= threshold) {
        context.output(
            ALERTS,
            ResultLine.create()
                .put("service", service)
                .put("alert", "error-rate")
                .put("requests", all.requests())
                .put("errors", all.errors())
                .put("error_rate", rate)
                .put("threshold", threshold)
                .put("min_requests", minRequests)
                .finalWindow(start, end)
                .toJson());
      }
    }
  }
}
