package dev.sluice.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The command line ({@link Sluice#run}) in this JVM, with what it printed on each stream. */
record CapturedRun(int code, String out, String err) {
  static CapturedRun of(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      code = Sluice.run(args, po, pe);
    }
    return new CapturedRun(
        code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  /** Every file under {@code dir} but {@code input}: what a refused run must not have written. */
  static List<Path> writtenIn(Path dir, Path input) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> !f.equals(dir) && !f.equals(input)).collect(Collectors.toList());
    }
  }
}
