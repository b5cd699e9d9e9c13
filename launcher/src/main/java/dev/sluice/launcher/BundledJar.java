package dev.sluice.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A runner module's bundled jar ({@code runners/<runner>/target/*-bundled.jar}: the pipelines and
 * their dependencies without the engine's own jars), the one file a job staged on a cluster needs;
 * without it Beam stages the whole classpath (hundreds of jars). Built with Maven when missing or
 * older than one of this repository's jars on the classpath: a stale bundle runs old classes on the
 * cluster, which fail there as "local class incompatible".
 *
 * <p>Needs the repository root, which {@code ./sluice} passes as the system property {@code
 * sluice.root}; elsewhere, pass {@code --filesToStage} yourself.
 */
final class BundledJar {
  /** A build from scratch downloads dependencies and shades two hundred jars: minutes. */
  private static final long BUILD_TIMEOUT_MINUTES = 30;

  private final Path root;
  private final String runner;

  private BundledJar(Path root, String runner) {
    this.root = root;
    this.runner = runner;
  }

  /** The repository root {@code ./sluice} runs from, if known. */
  static Optional<Path> repositoryRoot() {
    return Optional.ofNullable(System.getProperty("sluice.root")).map(Path::of);
  }

  static BundledJar of(String runner) {
    Path root =
        repositoryRoot()
            .orElseThrow(
                () ->
                    new Sluice.UsageException(
                        "--filesToStage: a job for a "
                            + runner
                            + " cluster needs the runner's bundled jar; run it through ./sluice,"
                            + " or build it (mvn package -pl runners/"
                            + runner
                            + " -am) and pass --filesToStage=<its -bundled.jar>"));
    return new BundledJar(root, runner);
  }

  /** The jar, built first if missing or stale. */
  Path fresh() {
    Optional<Path> jar = find();
    if (jar.isEmpty() || isStale(jar.get())) {
      build();
      jar = find();
    }
    return jar.orElseThrow(
        () ->
            new IllegalStateException(
                "the build did not write runners/" + runner + "/target/*-bundled.jar"));
  }

  private Optional<Path> find() {
    Path target = root.resolve("runners").resolve(runner).resolve("target");
    if (!Files.isDirectory(target)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("sluice-runners-" + runner + "-"))
          .filter(p -> p.getFileName().toString().endsWith("-bundled.jar"))
          .findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a jar or folder of this repository on the classpath is newer than the bundle. */
  private boolean isStale(Path jar) {
    try {
      FileTime built = Files.getLastModifiedTime(jar);
      List<String> entries =
          Arrays.asList(System.getProperty("java.class.path", "").split(File.pathSeparator));
      for (String entry : entries) {
        Path path = Path.of(entry).toAbsolutePath();
        if (path.startsWith(root)
            && Files.exists(path)
            && Files.getLastModifiedTime(path).compareTo(built) > 0) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private void build() {
    System.err.printf(
        "sluice: building the bundled jar a %s cluster runs (runners/%s, tests skipped; a few"
            + " minutes; it was missing or older than the pipelines it holds)...%n",
        runner, runner);
    try {
      Path log = Files.createTempFile("sluice-build", ".log");
      Process maven =
          new ProcessBuilder(
                  "mvn", "-B", "-ntp", "-DskipTests", "package", "-pl", "runners/" + runner, "-am")
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!maven.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        maven.destroyForcibly();
        throw new IllegalStateException(
            "the Maven build of the bundled jar took over "
                + BUILD_TIMEOUT_MINUTES
                + " minutes; stopped it. Its log: "
                + log);
      }
      if (maven.exitValue() != 0) {
        throw new IllegalStateException(
            "the Maven build of the bundled jar failed; its log: " + log);
      }
      Files.delete(log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run Maven (mvn) to build the bundled jar", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the bundled jar", e);
    }
  }
}
