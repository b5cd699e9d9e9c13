package dev.sluice.pipelines.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import dev.sluice.transforms.quality.RawRecord;

/**
 * Reads the lines of every file a {@code file:} path or glob matches, each as a {@link RawRecord}
 * whose source is the file's path and whose position is the 1-based line number, so a bad line
 * can be found again. Compressed
 * files ({@code .gz}, {@code .bz2}, {@code .zip}, {@code .deflate}) are read by their extension.
 * Bytes that are not UTF-8 are replaced, not fatal: the parser then refuses the line.
 */
public final class ReadLines extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String flag;
  private final String uri;

  private ReadLines(String flag, String uri) {
    this.flag = flag;
    this.uri = uri;
  }

  /** Reads {@code uri}, which came from option {@code flag} (named in errors). */
  public static ReadLines from(String flag, String uri) {
    FileUris.toPath(flag, uri); // fails at construction on an unsupported URI
    return new ReadLines(flag, uri);
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
        .apply("ReadNumberedLines", ParDo.of(new ReadNumberedLinesFn()));
  }

  static final class ReadNumberedLinesFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(file.open()),
                  StandardCharsets.UTF_8
                      .newDecoder()
                      .onMalformedInput(CodingErrorAction.REPLACE)
                      .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
        long number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          number++;
          out.output(RawRecord.of(path, String.valueOf(number), line));
        }
      }
    }
  }
}
