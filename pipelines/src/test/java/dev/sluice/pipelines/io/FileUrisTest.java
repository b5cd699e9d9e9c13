package dev.sluice.pipelines.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileUrisTest {
  @Test
  void acceptsFileUrisInEveryCommonFormAndPlainPaths() {
    assertThat(FileUris.toPath("--in", "file:/data/a.jsonl"), equalTo("/data/a.jsonl"));
    assertThat(FileUris.toPath("--in", "file:///data/*.jsonl"), equalTo("/data/*.jsonl"));
    assertThat(FileUris.toPath("--in", "file://localhost/data/x"), equalTo("/data/x"));
    assertThat(FileUris.toPath("--in", "/data/../data/b"), equalTo("/data/b"));
    assertThat(
        FileUris.toPath("--in", "file:rel/c"),
        equalTo(Path.of("rel/c").toAbsolutePath().toString()));
  }

  @Test
  void refusesOtherSchemesNamingTheFlag() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FileUris.toPath("--output", "s3://bucket/x"));
    assertThat(e.getMessage(), containsString("--output: unsupported location 's3://bucket/x'"));
  }

  @Test
  void requireMatchNamesTheFlagWhenNothingMatches(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.jsonl"), "{}\n");
    FileUris.requireMatch("--input", "file:" + dir + "/*.jsonl");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FileUris.requireMatch("--input", "file:" + dir + "/missing.jsonl"));
    assertThat(e.getMessage(), containsString("--input: no file matches 'file:" + dir));
  }
}
