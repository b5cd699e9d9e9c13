package dev.sluice.runners.benchmarks;

import dev.sluice.runners.benchmarks.EngineRun.Measurement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The benchmark's figures: Markdown tables, the targets, and PNG charts. */
final class BenchReport {
  private final Bench.BenchSettings settings;
  private MachineInfo before;
  private MachineInfo after;

  /** job → events → the runs of that size. */
  private final Map<String, Map<Long, Size>> workloads = new LinkedHashMap<>();

  private List<String> kafkaRead = List.of();
  private String sketch = "";
  private String earlyFirings = "";
  private String partition = "";
  private StreamBench streams;

  /** One workload at one size: the measured runs per engine, skipped engines, differing outputs. */
  record Size(
      Map<Engine, List<Measurement>> measured,
      Map<Engine, String> skipped,
      Map<Engine, Boolean> differs) {}

  BenchReport(Bench.BenchSettings settings) {
    this.settings = settings;
  }

  void machine(MachineInfo info) {
    before = info;
  }

  void machineAfter(MachineInfo info) {
    after = info;
  }

  void workload(
      String job,
      long events,
      Map<Engine, List<Measurement>> measured,
      Map<Engine, String> skipped,
      Map<Engine, Boolean> differs) {
    workloads
        .computeIfAbsent(job, j -> new LinkedHashMap<>())
        .put(events, new Size(new EnumMap<>(measured), skipped, differs));
  }

  void kafkaRead(List<String> lines) {
    kafkaRead = lines;
  }

  void earlyFirings(String section) {
    earlyFirings = section;
  }

  void streams(StreamBench figures) {
    streams = figures;
  }

  void sketch(String table) {
    sketch = table;
  }

  void partition(String table) {
    partition = table;
  }

  /** Median events/s of an engine at a size, or NaN. */
  private static double eventsPerSecond(Size size, Engine engine, long events) {
    List<Measurement> ms = size.measured().get(engine);
    if (ms == null || ms.isEmpty()) {
      return Double.NaN;
    }
    return median(ms.stream().mapToDouble(m -> events / m.jobSeconds()).toArray());
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Sluice benchmarks\n\n");
    md.append("Command: `").append(settings.commandLine().trim()).append("`\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Machine: %d cores (%s), %,d MiB memory, %s. Started %s, load average %s; ended %s,"
                + " load average %s.%n%n",
            before.cores(),
            before.cpu(),
            before.memoryMiB(),
            before.java(),
            before.time(),
            before.loadAverage(),
            after.time(),
            after.loadAverage()));
    if (!workloads.isEmpty()) {
      md.append(
          String.format(
              Locale.ROOT,
              "Every run is its own JVM with `-Xmx%s`, %d measured runs per engine and size (the"
                  + " first size after %d unmeasured warm-up runs per engine), engines taking"
                  + " turns. Beam runs go through Sluice's launcher class, as `./sluice run` does:"
                  + " DirectRunner with its immutability and encodability checks off (`./sluice"
                  + " run`'s default: they are test aids), FlinkRunner `[local]` with"
                  + " `--parallelism=2`, SparkRunner `local[2]`. Native Flink: the same logic on"
                  + " Flink's DataStream API, batch mode, parallelism 2. Plain Java: the job's"
                  + " reference model on one thread. **events/s** = events ÷ the job's own time"
                  + " (pipeline start to end: reading, computing, writing; JVM start excluded);"
                  + " **process** = the JVM's wall time; **peak** = its resident-set high-water"
                  + " mark. Every run's output is checked against the plain-Java model (lines and"
                  + " an order-independent hash).%n%n",
              settings.heap(),
              settings.runs(),
              settings.warmups()));
    }
    workloads.forEach((job, sizes) -> workloadSection(md, job, sizes));
    if (!workloads.isEmpty() || !kafkaRead.isEmpty()) {
      md.append(targets());
    }
    if (streams != null) {
      md.append(streams.markdown());
    }
    if (!kafkaRead.isEmpty()) {
      md.append("## kafka-read\n\n```\n");
      kafkaRead.stream().filter(l -> !l.startsWith("  ")).forEach(l -> md.append(l).append('\n'));
      md.append("```\n\n");
    }
    md.append(earlyFirings);
    if (!sketch.isEmpty()) {
      md.append("## Approximate distinct (sketch accuracy and size)\n\n")
          .append(sketch)
          .append('\n');
    }
    if (!partition.isEmpty()) {
      md.append("## Hash partitioning (balance and the hot-key remedy)\n\n")
          .append(partition)
          .append('\n');
    }
    return md.toString();
  }

  private void workloadSection(StringBuilder md, String job, Map<Long, Size> sizes) {
    md.append("## ").append(job).append("\n\n");
    md.append(
        "| events | engine | events/s median (min..max) | job s | process s | peak MB | ÷ native"
            + " Flink | ÷ plain Java | output |\n");
    md.append("|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
    sizes.forEach(
        (events, size) -> {
          double nativeRate = eventsPerSecond(size, Engine.NATIVE_FLINK, events);
          double javaRate = eventsPerSecond(size, Engine.JAVA, events);
          for (Engine engine : settings.engines()) {
            List<Measurement> ms = size.measured().get(engine);
            if (ms == null || ms.isEmpty()) {
              md.append(
                  String.format(
                      Locale.ROOT,
                      "| %,d | %s | %s | | | | | | |%n",
                      events,
                      engine.label(),
                      size.skipped().getOrDefault(engine, "not run")));
              continue;
            }
            double[] rates =
                ms.stream().mapToDouble(m -> events / m.jobSeconds()).sorted().toArray();
            double rate = median(rates);
            md.append(
                String.format(
                    Locale.ROOT,
                    "| %,d | %s | %,.0f (%,.0f..%,.0f) | %.1f | %.1f | %,d | %s | %s | %s |%n",
                    events,
                    engine.label(),
                    rate,
                    rates[0],
                    rates[rates.length - 1],
                    medianOf(ms, Measurement::jobSeconds),
                    medianOf(ms, Measurement::wallSeconds),
                    (long) medianOf(ms, m -> m.peakRssBytes() >> 20),
                    ratio(rate, nativeRate),
                    ratio(rate, javaRate),
                    size.differs().getOrDefault(engine, false) ? "**DIFFERS**" : "= model"));
          }
        });
    md.append('\n');
    if (sizes.size() >= 2) {
      md.append("Job time = fixed + events × per-event cost (least squares over the sizes):\n\n");
      md.append("| engine | fixed s | µs per event |\n|---|---:|---:|\n");
      for (Engine engine : settings.engines()) {
        List<double[]> points = new ArrayList<>();
        sizes.forEach(
            (events, size) -> {
              List<Measurement> ms = size.measured().get(engine);
              if (ms != null && !ms.isEmpty()) {
                points.add(new double[] {events, medianOf(ms, Measurement::jobSeconds)});
              }
            });
        if (points.size() >= 2) {
          double[] fit = leastSquares(points);
          md.append(
              String.format(
                  Locale.ROOT, "| %s | %.1f | %.2f |%n", engine.label(), fit[0], fit[1] * 1e6));
        }
      }
      md.append('\n');
    }
  }

  /** The targets, each with the ratio measured at the largest size both sides ran. */
  private String targets() {
    StringBuilder md =
        new StringBuilder("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
    workloads.forEach(
        (job, sizes) -> {
          target(
              md,
              job + " on FlinkRunner ≥ 0.5× native Flink",
              sizes,
              Engine.FLINK,
              Engine.NATIVE_FLINK,
              0.5);
          target(
              md,
              job + " on DirectRunner within 10× of plain Java (≥ 0.1×)",
              sizes,
              Engine.DIRECT,
              Engine.JAVA,
              0.1);
        });
    kafkaRead.stream()
        .filter(l -> l.startsWith("KafkaIO"))
        .findFirst()
        .ifPresent(
            l -> {
              String[] parts = l.trim().split("\\s+");
              double ratio = Double.parseDouble(parts[parts.length - 1]);
              md.append(
                  String.format(
                      Locale.ROOT,
                      "| KafkaIO bounded read ≥ 0.5× plain consumer loop | %.2f× | %s |%n",
                      ratio,
                      ratio >= 0.5 ? "yes" : "**no**"));
            });
    return md.append('\n').toString();
  }

  private void target(
      StringBuilder md,
      String name,
      Map<Long, Size> sizes,
      Engine engine,
      Engine base,
      double goal) {
    long largest = -1;
    double ratio = Double.NaN;
    for (Map.Entry<Long, Size> e : sizes.entrySet()) {
      double r =
          eventsPerSecond(e.getValue(), engine, e.getKey())
              / eventsPerSecond(e.getValue(), base, e.getKey());
      if (!Double.isNaN(r)) {
        largest = e.getKey();
        ratio = r;
      }
    }
    if (largest < 0) {
      return;
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %.2f× at %,d events | %s |%n",
            name,
            ratio,
            largest,
            ratio >= goal ? "yes" : "**no**"));
  }

  /**
   * A throughput chart (events/s per engine and job at the largest size) and one scaling chart per
   * job.
   */
  List<Path> charts(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (streams != null) {
      files.addAll(streams.charts(dir));
    }
    if (workloads.isEmpty()) {
      return files;
    }
    CategoryChart bars =
        new CategoryChartBuilder()
            .width(1000)
            .height(560)
            .title("events/s at the largest size each job ran")
            .xAxisTitle("job")
            .yAxisTitle("events/s")
            .build();
    bars.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    bars.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    List<String> jobs = new ArrayList<>(workloads.keySet());
    for (Engine engine : settings.engines()) {
      List<Double> rates = new ArrayList<>();
      for (String job : jobs) {
        Map<Long, Size> sizes = workloads.get(job);
        long largest = sizes.keySet().stream().max(Long::compare).orElseThrow();
        double rate = eventsPerSecond(sizes.get(largest), engine, largest);
        rates.add(Double.isNaN(rate) ? null : rate); // not run there: a gap
      }
      if (rates.stream().anyMatch(r -> r != null)) {
        bars.addSeries(engine.label(), jobs, rates);
      }
    }
    Path throughput = dir.resolve("throughput.png");
    BitmapEncoder.saveBitmap(bars, throughput.toString(), BitmapEncoder.BitmapFormat.PNG);
    files.add(throughput);
    for (String job : jobs) {
      XYChart lines =
          new XYChartBuilder()
              .width(800)
              .height(500)
              .title(job + ": events/s by input size (log-log)")
              .xAxisTitle("events")
              .yAxisTitle("events/s")
              .build();
      lines.getStyler().setXAxisLogarithmic(true);
      lines.getStyler().setYAxisLogarithmic(true);
      lines.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
      for (Engine engine : settings.engines()) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        workloads
            .get(job)
            .forEach(
                (events, size) -> {
                  double rate = eventsPerSecond(size, engine, events);
                  if (!Double.isNaN(rate)) {
                    xs.add((double) events);
                    ys.add(rate);
                  }
                });
        if (!xs.isEmpty()) {
          lines.addSeries(engine.label(), xs, ys);
        }
      }
      Path file = dir.resolve("scaling-" + job + ".png");
      BitmapEncoder.saveBitmap(lines, file.toString(), BitmapEncoder.BitmapFormat.PNG);
      files.add(file);
    }
    return files;
  }

  private static String ratio(double rate, double base) {
    return Double.isNaN(base) || Double.isNaN(rate)
        ? ""
        : String.format(Locale.ROOT, "%.2f", rate / base);
  }

  private static double medianOf(List<Measurement> ms, ToDoubleFunction<Measurement> f) {
    return median(ms.stream().mapToDouble(f).toArray());
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** {intercept, slope} of y = a + b·x through the points. */
  static double[] leastSquares(List<double[]> points) {
    double n = points.size();
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (double[] p : points) {
      sx += p[0];
      sy += p[1];
      sxx += p[0] * p[0];
      sxy += p[0] * p[1];
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    return new double[] {(sy - slope * sx) / n, slope};
  }
}
