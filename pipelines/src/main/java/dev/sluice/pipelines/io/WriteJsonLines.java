package dev.sluice.pipelines.io;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Writes JSON lines to files {@code <prefix>-SSSSS-of-NNNNN.jsonl} under a {@code file:} prefix; a
 * stream (unbounded input) is written in periodic batches instead (see {@link #expand}).
 *
 * <p>Lines already carry their window and pane, so the sink first moves them into the global window
 * with the default trigger: a trigger inherited from upstream would otherwise fire again at the
 * sink's own grouping, and on Spark that has written panes twice (seen in 2 of 5 batch runs).
 */
public final class WriteJsonLines extends PTransform<PCollection<String>, PDone> {
  /** File suffix of every JSON-lines output. */
  public static final String SUFFIX = ".jsonl";

  /** How often a streaming file sink closes a batch of files. */
  static final Duration STREAM_FLUSH = Duration.standardSeconds(10);

  private final String flag;
  private final String uri;
  private final int numShards;

  private WriteJsonLines(String flag, String uri, int numShards) {
    this.flag = flag;
    this.uri = uri;
    this.numShards = numShards;
  }

  /** Writes to the prefix {@code uri}, which came from option {@code flag} (named in errors). */
  public static WriteJsonLines to(String flag, String uri) {
    FileUris.toPath(flag, uri);
    return new WriteJsonLines(flag, uri, 0);
  }

  /** Number of output files; 0 (the default) lets the runner decide. */
  public WriteJsonLines withNumShards(int numShards) {
    if (numShards < 0) {
      throw new IllegalArgumentException("number of shards must be 0 or more, was " + numShards);
    }
    return new WriteJsonLines(flag, uri, numShards);
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    if (lines.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      return writeStream(lines);
    }
    TextIO.Write write = TextIO.write().to(FileUris.toPath(flag, uri)).withSuffix(SUFFIX);
    if (numShards > 0) {
      write = write.withNumShards(numShards);
    }
    return lines
        .apply(
            "IntoGlobalWindow",
            Window.<String>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .discardingFiredPanes())
        .apply("WriteFiles", write);
  }

  /**
   * A stream never ends, so its lines are written in batches: every {@link #STREAM_FLUSH} of
   * processing time after the first waiting line, to new files named by pane ({@code
   * <prefix>-GlobalWindow-pane-N-SSSSS-of-NNNNN.jsonl}, one shard unless told otherwise).
   */
  private PDone writeStream(PCollection<String> lines) {
    return lines
        .apply(
            "IntoGlobalWindowFlushedPeriodically",
            Window.<String>into(new GlobalWindows())
                .triggering(
                    Repeatedly.forever(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(STREAM_FLUSH)))
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply(
            "WriteFilesPerPane",
            TextIO.write()
                .to(FileUris.toPath(flag, uri))
                .withSuffix(SUFFIX)
                .withShardNameTemplate("-W-P-SSSSS-of-NNNNN")
                .withWindowedWrites()
                .withNumShards(Math.max(1, numShards)));
  }
}
