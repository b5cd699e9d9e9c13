package dev.sluice.runners.benchmarks;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.transforms.distinct.ApproximateDistinct;
import dev.sluice.transforms.distinct.DistinctSketch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The accuracy and size of Sluice's approximate distinct count ({@link ApproximateDistinct}, an
 * Apache DataSketches HLL sketch): for each precision {@code lgK} and each true number of distinct
 * elements, the median and the 99th percentile of the relative error {@code |estimate - exact| /
 * exact} over repeated trials, and the sketch's serialized size in bytes.
 *
 * <p><b>What runs.</b> The code a pipeline runs per element: {@link ApproximateDistinct.SketchFn}
 * (the {@code CombineFn} behind {@code ApproximateDistinct}) over {@code Long} elements encoded by
 * {@link VarLongCoder}, Beam's default coder for {@code Long}: {@code createAccumulator}, {@code
 * addInput} per element, {@code extractOutput} to a {@link DistinctSketch}, whose {@link
 * DistinctSketch#estimate()} is the estimate and whose {@link DistinctSketch#toByteArray()} length
 * is the size (what {@link DistinctSketch.Coder} ships and stores, plus its length prefix). No
 * pipeline is run: bundling and merging cannot change a {@code DistinctSketch}, which is canonical.
 *
 * <p><b>A trial</b> is one stream of distinct 64-bit values, different for every trial (a bijective
 * scramble of the positions 0, 1, 2, ... keyed by the seed and the trial number, so the values of a
 * stream are distinct by construction and the exact count is the stream's length). Every {@code
 * lgK}'s sketch takes the same stream, and each sketch is read when the stream has reached each
 * distinct count of the figure (10^3, 10^4, ...): the rows of one trial are prefixes of one stream,
 * the trials are independent. Counts at or above {@link Settings#largeFrom()} get {@link
 * Settings#largeTrials()} trials instead of {@link Settings#trials()}, to keep the run short.
 *
 * <p><b>Percentiles</b> are nearest-rank: of {@code T} sorted errors, the {@code ceil(p T)}-th.
 * With fewer than 100 trials the 99th percentile is therefore the largest error seen (with {@code T
 * = 21}, the worst of 21), which is about the 97.7th percentile of the error distribution in
 * expectation ({@code T / (T + 1)}), not a 1-in-100 tail; a figure from 5 trials is the worst of 5.
 * The theoretical relative standard error {@link ApproximateDistinct#relativeStandardError(int)} is
 * printed alongside: for a normal error the 99th percentile of {@code |error|} is 2.58 of it.
 *
 * <p><b>Target</b> (issue 8): at most 2 % relative error at the 99th percentile with a sketch of at
 * most 4 KiB. A row meets it when its p99 and its largest size do; an {@code lgK} meets it when all
 * its rows do. It is reported, never asserted.
 *
 * <pre>{@code
 * List<SketchFigures.Row> rows = SketchFigures.measure(SketchFigures.Settings.defaults());
 * System.out.println(SketchFigures.markdownTable(rows));
 * }</pre>
 */
public final class SketchFigures {
  /** The target's error bound, a fraction. */
  public static final double TARGET_P99_ERROR = 0.02;

  /** The target's size bound: 4 KiB. */
  public static final int TARGET_BYTES = 4096;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private SketchFigures() {}

  /**
   * What to measure.
   *
   * @param lgKs the precisions, each in [4, 21]
   * @param distinctCounts the true numbers of distinct elements, ascending
   * @param trials trials per distinct count below {@code largeFrom}
   * @param largeTrials trials per distinct count at or above {@code largeFrom}
   * @param largeFrom the distinct count from which {@code largeTrials} applies
   * @param seed the seed of every trial's stream
   * @param threads trials measured in parallel
   */
  public record Settings(
      List<Integer> lgKs,
      List<Long> distinctCounts,
      int trials,
      int largeTrials,
      long largeFrom,
      long seed,
      int threads) {
    public Settings {
      lgKs = List.copyOf(lgKs);
      distinctCounts = List.copyOf(distinctCounts);
      checkArgument(!lgKs.isEmpty(), "lgKs must not be empty");
      for (int lgK : lgKs) {
        checkArgument(
            lgK >= ApproximateDistinct.MIN_LG_K && lgK <= ApproximateDistinct.MAX_LG_K,
            "lgK must be in [%s, %s], was %s",
            ApproximateDistinct.MIN_LG_K,
            ApproximateDistinct.MAX_LG_K,
            lgK);
      }
      checkArgument(!distinctCounts.isEmpty(), "distinctCounts must not be empty");
      for (int i = 0; i < distinctCounts.size(); i++) {
        checkArgument(distinctCounts.get(i) >= 1, "distinct counts must be >= 1");
        checkArgument(
            i == 0 || distinctCounts.get(i) > distinctCounts.get(i - 1),
            "distinct counts must be ascending, were %s",
            distinctCounts);
      }
      checkArgument(trials >= 1, "trials must be >= 1, was %s", trials);
      checkArgument(largeTrials >= 1, "largeTrials must be >= 1, was %s", largeTrials);
      checkArgument(threads >= 1, "threads must be >= 1, was %s", threads);
    }

    /**
     * lgK 10, 11, 12 (Sluice's default) and 14; 10^3 to 10^7 distinct; 21 trials up to 10^6, 5 at
     * 10^7; two threads at most.
     */
    public static Settings defaults() {
      return new Settings(
          List.of(10, 11, ApproximateDistinct.DEFAULT_LG_K, 14),
          List.of(1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L),
          21,
          5,
          10_000_000L,
          20240801L,
          Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /** The number of trials at {@code distinct}. */
    public int trialsAt(long distinct) {
      return distinct >= largeFrom ? largeTrials : trials;
    }

    /** The same settings with the distinct counts above {@code maxDistinct} left out. */
    public Settings withMaxDistinct(long maxDistinct) {
      List<Long> kept = new ArrayList<>();
      for (long n : distinctCounts) {
        if (n <= maxDistinct) {
          kept.add(n);
        }
      }
      return new Settings(lgKs, kept, trials, largeTrials, largeFrom, seed, threads);
    }
  }

  /**
   * One figure: precision {@code lgK} at {@code distinct} true distinct elements, over {@code
   * trials} trials. Errors are fractions (0.01 is 1 %).
   *
   * @param medianRelativeError the nearest-rank median of the trials' relative errors
   * @param p99RelativeError the nearest-rank 99th percentile (the largest, with under 100 trials)
   * @param meanEstimate the mean of the trials' estimates
   * @param sketchBytes the largest serialized size over the trials
   * @param relativeStandardError the theoretical RSE at {@code lgK}, 1.04 / sqrt(2^lgK)
   */
  public record Row(
      int lgK,
      long distinct,
      int trials,
      double medianRelativeError,
      double p99RelativeError,
      double meanEstimate,
      int sketchBytes,
      double relativeStandardError) {
    /** Whether this row meets the target: p99 error at most 2 %, sketch at most 4 KiB. */
    public boolean meetsTarget() {
      return p99RelativeError <= TARGET_P99_ERROR && sketchBytes <= TARGET_BYTES;
    }
  }

  /** Measures every (lgK, distinct count) of {@code settings}; rows ordered by lgK, then count. */
  public static List<Row> measure(Settings settings) {
    List<Long> counts = settings.distinctCounts();
    int lgKCount = settings.lgKs().size();
    int maxTrials = 0;
    for (long n : counts) {
      maxTrials = Math.max(maxTrials, settings.trialsAt(n));
    }

    // results[trial] = [lgK index][count index] -> {estimate, bytes}; null where not measured.
    List<double[][][]> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
    try {
      List<Future<double[][][]>> futures = new ArrayList<>();
      for (int t = 0; t < maxTrials; t++) {
        int trial = t;
        futures.add(pool.submit(() -> runTrial(settings, trial)));
      }
      for (Future<double[][][]> future : futures) {
        results.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring sketches", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a sketch trial failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }

    List<Row> rows = new ArrayList<>();
    for (int l = 0; l < lgKCount; l++) {
      int lgK = settings.lgKs().get(l);
      for (int c = 0; c < counts.size(); c++) {
        long exact = counts.get(c);
        int trials = settings.trialsAt(exact);
        double[] errors = new double[trials];
        double sumEstimates = 0;
        int maxBytes = 0;
        for (int t = 0; t < trials; t++) {
          double[] measured = results.get(t)[l][c];
          errors[t] = Math.abs(measured[0] - exact) / exact;
          sumEstimates += measured[0];
          maxBytes = Math.max(maxBytes, (int) measured[1]);
        }
        Arrays.sort(errors);
        rows.add(
            new Row(
                lgK,
                exact,
                trials,
                nearestRank(errors, 0.50),
                nearestRank(errors, 0.99),
                sumEstimates / trials,
                maxBytes,
                ApproximateDistinct.relativeStandardError(lgK)));
      }
    }
    return rows;
  }

  /**
   * One trial: one stream, as long as the largest count that still has this trial, into one sketch
   * per lgK, each read at every count. Returns [lgK index][count index] -> {estimate, serialized
   * bytes}, with null for counts this trial does not reach.
   */
  private static double[][][] runTrial(Settings settings, int trial) {
    List<Long> counts = settings.distinctCounts();
    long length = 0;
    for (long n : counts) {
      if (trial < settings.trialsAt(n)) {
        length = n;
      }
    }
    List<Sketcher<?>> sketchers = new ArrayList<>();
    for (int lgK : settings.lgKs()) {
      sketchers.add(Sketcher.of(ApproximateDistinct.SketchFn.of(VarLongCoder.of()).withLgK(lgK)));
    }
    double[][][] out = new double[sketchers.size()][counts.size()][];
    long key = trialKey(settings.seed(), trial);
    int next = 0;
    for (long i = 0; i < length; i++) {
      Long item = item(key, i);
      for (Sketcher<?> sketcher : sketchers) {
        sketcher.add(item);
      }
      while (next < counts.size() && counts.get(next) == i + 1) {
        if (trial < settings.trialsAt(counts.get(next))) {
          for (int l = 0; l < sketchers.size(); l++) {
            DistinctSketch sketch = sketchers.get(l).sketch();
            out[l][next] = new double[] {sketch.estimate(), sketch.toByteArray().length};
          }
        }
        next++;
      }
    }
    return out;
  }

  /** The key of a trial's stream: different for every (seed, trial). */
  static long trialKey(long seed, int trial) {
    return mix64(seed ^ mix64((trial + 1L) * GOLDEN));
  }

  /**
   * The {@code index}-th value of the stream with key {@code key}. {@code index -> index * GOLDEN +
   * key} and {@link #mix64} are both bijections of the 64-bit integers, so a stream's values are
   * pairwise distinct.
   */
  static long item(long key, long index) {
    return mix64(index * GOLDEN + key);
  }

  /** MurmurHash3's 64-bit finalizer: a bijection that scrambles every bit into every other. */
  private static long mix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  /** The {@code ceil(p n)}-th smallest of {@code sorted} (nearest rank), at least the first. */
  static double nearestRank(double[] sorted, double p) {
    checkArgument(sorted.length > 0, "no values");
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(1, Math.min(rank, sorted.length)) - 1];
  }

  /** Sluice's sketching {@code CombineFn} with one accumulator, driven as a pipeline drives it. */
  private static final class Sketcher<A> {
    private final CombineFn<Long, A, DistinctSketch> fn;
    private A accumulator;

    private Sketcher(CombineFn<Long, A, DistinctSketch> fn) {
      this.fn = fn;
      this.accumulator = fn.createAccumulator();
    }

    static <A> Sketcher<A> of(CombineFn<Long, A, DistinctSketch> fn) {
      return new Sketcher<>(fn);
    }

    void add(Long item) {
      accumulator = fn.addInput(accumulator, item);
    }

    /** The sketch so far; the accumulator is left as it was. */
    DistinctSketch sketch() {
      return fn.extractOutput(accumulator);
    }
  }

  /** The rows as a Markdown table, errors in percent. */
  public static String markdownTable(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| lgK | distinct | trials | median error | p99 error | RSE (theory) | sketch bytes |"
            + " p99 ≤ 2 % and ≤ 4 KiB |\n");
    out.append("|---:|---:|---:|---:|---:|---:|---:|:---:|\n");
    for (Row row : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %,d | %d | %.3f %% | %.3f %% | %.2f %% | %,d | %s |%n",
              row.lgK(),
              row.distinct(),
              row.trials(),
              100 * row.medianRelativeError(),
              100 * row.p99RelativeError(),
              100 * row.relativeStandardError(),
              row.sketchBytes(),
              row.meetsTarget() ? "yes" : "no"));
    }
    return out.toString();
  }

  /** One line per lgK: whether all its rows meet the target, and why not. */
  public static String targetSummary(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append("Target: p99 relative error ≤ 2 % with a sketch of ≤ 4 KiB (4096 bytes).\n");
    rows.stream()
        .mapToInt(Row::lgK)
        .distinct()
        .forEach(
            lgK -> {
              double worstP99 = 0;
              int maxBytes = 0;
              for (Row row : rows) {
                if (row.lgK() == lgK) {
                  worstP99 = Math.max(worstP99, row.p99RelativeError());
                  maxBytes = Math.max(maxBytes, row.sketchBytes());
                }
              }
              boolean errorOk = worstP99 <= TARGET_P99_ERROR;
              boolean sizeOk = maxBytes <= TARGET_BYTES;
              out.append(
                  String.format(
                      Locale.ROOT,
                      "- lgK %d: %s (worst p99 %.2f %% %s; largest sketch %,d bytes %s)%n",
                      lgK,
                      errorOk && sizeOk ? "MET" : "NOT MET",
                      100 * worstP99,
                      errorOk ? "ok" : "> 2 %",
                      maxBytes,
                      sizeOk ? "ok" : "> 4 KiB"));
            });
    return out.toString();
  }

  public static void main(String[] args) {
    System.exit(Cli.execute(new Main(), "sluice bench sketch", args, System.out, System.err));
  }

  /** The command line of {@link #main}: prints the table and the target summary. */
  @Command(name = "sketch", description = "Error and size of the distinct-count sketch per lgK.")
  static final class Main implements Callable<Integer> {
    private static final Settings D = Settings.defaults();

    @Spec CommandSpec spec;
    @Mixin Cli.Help help;

    @Option(
        names = "--trials",
        paramLabel = "N",
        description = "Trials per count below --largeFrom.")
    String trials = String.valueOf(D.trials());

    @Option(names = "--largeTrials", paramLabel = "N", description = "Trials per larger count.")
    String largeTrials = String.valueOf(D.largeTrials());

    @Option(names = "--largeFrom", paramLabel = "N", description = "Where larger counts start.")
    String largeFrom = String.valueOf(D.largeFrom());

    @Option(names = "--maxDistinct", paramLabel = "N", description = "The largest count.")
    String maxDistinct = String.valueOf(Long.MAX_VALUE);

    @Option(names = "--lgK", paramLabel = "K,...", description = "Sketch sizes, e.g. 10,12,14.")
    String lgK = D.lgKs().stream().map(String::valueOf).collect(Collectors.joining(","));

    @Option(names = "--seed", paramLabel = "N", description = "The random seed.")
    String seed = String.valueOf(D.seed());

    @Option(names = "--threads", paramLabel = "N", description = "Threads to measure on.")
    String threads = String.valueOf(D.threads());

    @Override
    public Integer call() {
      Settings settings;
      int threadCount;
      try {
        threadCount = (int) BenchFlags.count("--threads", threads, 1);
        settings =
            new Settings(
                    BenchFlags.counts("--lgK", lgK, 1).stream().map(Long::intValue).toList(),
                    D.distinctCounts(),
                    (int) BenchFlags.count("--trials", trials, 1),
                    (int) BenchFlags.count("--largeTrials", largeTrials, 1),
                    BenchFlags.count("--largeFrom", largeFrom, 1),
                    BenchFlags.count("--seed", seed, 0),
                    threadCount)
                .withMaxDistinct(BenchFlags.count("--maxDistinct", maxDistinct, 1));
      } catch (IllegalArgumentException e) {
        throw Cli.usage(spec, e.getMessage());
      }
      long start = System.nanoTime();
      List<Row> rows = measure(settings);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.print(markdownTable(rows));
      System.out.println();
      System.out.print(targetSummary(rows));
      System.out.printf(
          Locale.ROOT, "%nMeasured in %.1f s with %d thread(s).%n", seconds, threadCount);
      return Cli.OK;
    }
  }

  private static void checkArgument(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
  }
}
