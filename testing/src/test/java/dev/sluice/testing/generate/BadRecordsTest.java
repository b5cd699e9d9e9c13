package dev.sluice.testing.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.conformance.BadInputCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bad-record injector, and word-count on DirectRunner over what it makes. */
class BadRecordsTest {
  private static final int LIMIT = 512;

  private static List<String> clean(int n) {
    return WordLinesGenerator.create().seed(11).events(n).lines();
  }

  /** The file's lines as bytes, split at \n. */
  private static List<byte[]> lines(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        lines.add(Arrays.copyOfRange(all, start, i));
        start = i + 1;
      }
    }
    return lines;
  }

  @Test
  void theBadLinesAreSpreadEvenlyOverTheKindsAndTheCleanLinesKeepTheirOrder(@TempDir Path dir)
      throws IOException {
    List<String> clean = clean(500);
    BadRecords bad = BadRecords.forFields("ts", "text").withSeed(5).withMaxRecordBytes(LIMIT);
    BadRecords.Injected injected = bad.writeDirty(clean, 62, dir.resolve("a.jsonl"));

    assertThat(injected.lines(), equalTo(562L));
    // 62 over six kinds: 10 each, two of them 11.
    assertThat(
        injected.countsByKind().keySet(), equalTo(new java.util.TreeSet<>(BadRecords.KINDS)));
    injected.countsByKind().values().forEach(n -> assertThat(n >= 10 && n <= 11, equalTo(true)));
    assertThat(
        injected.countsByKind().values().stream().mapToLong(Long::longValue).sum(), equalTo(62L));
    List<byte[]> lines = lines(dir.resolve("a.jsonl"));
    assertThat((long) lines.size(), equalTo(injected.lines()));
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      BadRecords.Expected e = injected.expected().get(i + 1L);
      if (e == null) {
        kept.add(new String(lines.get(i), StandardCharsets.UTF_8));
      } else {
        assertThat("line " + (i + 1), lines.get(i), equalTo(e.bytes()));
        if (e.kind().equals("oversize")) {
          assertThat(e.bytes().length, greaterThan(LIMIT));
        }
      }
    }
    assertThat(kept, equalTo(clean));

    bad.writeDirty(clean, 62, dir.resolve("b.jsonl"));
    assertThat(
        Files.readAllBytes(dir.resolve("b.jsonl")),
        equalTo(Files.readAllBytes(dir.resolve("a.jsonl"))));
  }

  @Test
  void everyBadRecordIsADeadLetterOfItsKindAndTheGoodResultsEqualTheCleanRun(@TempDir Path dir)
      throws IOException {
    List<String> clean = clean(300);
    Path dirty = dir.resolve("dirty/in.jsonl");
    BadRecords.Injected injected =
        BadRecords.forFields("ts", "text").withMaxRecordBytes(LIMIT).writeDirty(clean, 60, dirty);
    // The same bytes with \r\n line ends, gzipped: line numbers and kinds must not change.
    Path gz = dir.resolve("gz/in.jsonl.gz");
    Files.createDirectories(gz.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      for (byte[] line : lines(dirty)) {
        out.write(line);
        out.write(new byte[] {'\r', '\n'});
      }
    }

    List<String> want =
        SlidingWordCountModel.compute(
                clean, Duration.standardMinutes(10), Duration.standardMinutes(5))
            .stream()
            .sorted()
            .toList();
    assertThat(want.size(), greaterThan(0));
    // (The clean file's run equals the model too; the volume test compares both runs.)
    for (Path input : List.of(dirty, gz)) {
      Path out = input.getParent().resolve("out");
      JobRun.Result run =
          JobRun.of("word-count")
              .args(
                  "--input=file:" + input,
                  "--output=file:" + out,
                  "--windowSize=10m",
                  "--windowPeriod=5m",
                  "--maxRecordBytes=" + LIMIT)
              .ok();
      String stderr = run.stderr();
      assertThat(input + " results", run.lines(), equalTo(want));
      BadInputCheck.deadLettersAreTheInjectedRecords(
          input.getParent().resolve("out.dead-letters"), injected, LIMIT);
      BadInputCheck.countsAddUp(BadInputCheck.summaryCounts(stderr, "word-count"), injected);
    }
  }

  @Test
  void aMaxRecordBytesOfZeroIsRefusedBeforeTheJobStarts(@TempDir Path dir) throws IOException {
    Path in = dir.resolve("in.jsonl");
    Files.write(in, clean(3), StandardCharsets.UTF_8);
    JobRun.Result result =
        JobRun.of("word-count")
            .args("--input=file:" + in, "--output=file:" + dir.resolve("out"), "--maxRecordBytes=0")
            .run();
    assertThat(result.stderr(), result.exitCode(), equalTo(2));
    assertThat(
        result.stderr(),
        result.stderr().contains("--maxRecordBytes: must be more than 0 (bytes), was 0"),
        equalTo(true));
  }
}
