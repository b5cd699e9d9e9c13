package dev.sluice.pipelines.io;

import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.transforms.quality.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads the lines of every file a {@code file:} path or glob matches, each as a {@link RawRecord}
 * whose source is the file's path and whose position is the 1-based line number, so a bad line can
 * be found again. Compressed files ({@code .gz}, {@code .bz2}, {@code .zip}, {@code .deflate}) are
 * read by their extension. Lines end at {@code \n} (a {@code \r} before it is dropped). Each line
 * is read as bytes and decoded strictly ({@link RecordBytes}): a line that is not UTF-8, or longer
 * than {@code maxRecordBytes} (never held whole in memory), becomes an unreadable record that the
 * parse step sends to the dead letters ({@code not-utf8}, {@code oversize}), never a silently
 * altered line.
 */
public final class ReadLines extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String flag;
  private final String uri;
  private final int maxRecordBytes;

  private ReadLines(String flag, String uri, int maxRecordBytes) {
    this.flag = flag;
    this.uri = uri;
    this.maxRecordBytes = JobOptions.checkMaxRecordBytes(maxRecordBytes);
  }

  /** Reads {@code uri}, which came from option {@code flag} (named in errors). */
  public static ReadLines from(String flag, String uri) {
    FileUris.toPath(flag, uri); // fails at construction on an unsupported URI
    return new ReadLines(flag, uri, JobOptions.DEFAULT_MAX_RECORD_BYTES);
  }

  /** Lines longer than {@code bytes} are dead letters of kind {@code oversize}. */
  public ReadLines withMaxRecordBytes(int bytes) {
    return new ReadLines(flag, uri, bytes);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    return input
        .apply(
            "MatchFiles",
            FileIO.match()
                .filepattern(FileUris.toPath(flag, uri))
                .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("OpenFiles", FileIO.readMatches())
        .apply("ReadNumberedLines", ParDo.of(new ReadNumberedLinesFn(maxRecordBytes)));
  }

  static final class ReadNumberedLinesFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private final int maxRecordBytes;
    private transient RecordBytes recordBytes;

    ReadNumberedLinesFn(int maxRecordBytes) {
      this.maxRecordBytes = maxRecordBytes;
    }

    @Setup
    public void setup() {
      recordBytes = new RecordBytes(maxRecordBytes);
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      try (InputStream in = Channels.newInputStream(file.open())) {
        LineBytes lines = new LineBytes(in, maxRecordBytes);
        long number = 0;
        while (lines.next()) {
          number++;
          out.output(
              recordBytes.toRecord(
                  path, String.valueOf(number), lines.bytes(), lines.length(), lines.size()));
        }
      }
    }
  }
}
