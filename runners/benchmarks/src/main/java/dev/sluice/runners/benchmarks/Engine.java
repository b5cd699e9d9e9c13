package dev.sluice.runners.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a job runs in the benchmark, and the command line that runs it in its own JVM: the three
 * Beam runners through Sluice's own launcher class on their modules' classpaths (what {@code
 * ./sluice run} does), the native Flink job and the plain-Java model on this module's classpath.
 * Every engine gets the same heap and 2 cores' worth of parallelism.
 */
enum Engine {
  DIRECT("direct", "Beam, DirectRunner"),
  FLINK("flink", "Beam, FlinkRunner [local]"),
  SPARK("spark", "Beam, SparkRunner local[2]"),
  NATIVE_FLINK("native-flink", "native Flink DataStream"),
  JAVA("java", "plain Java model, 1 thread");

  private final String flag;
  private final String label;

  Engine(String flag, String label) {
    this.flag = flag;
    this.label = label;
  }

  String flag() {
    return flag;
  }

  String label() {
    return label;
  }

  static List<String> flags() {
    List<String> flags = new ArrayList<>();
    for (Engine engine : values()) {
      flags.add(engine.flag);
    }
    return flags;
  }

  static Engine of(String flag) {
    for (Engine engine : values()) {
      if (engine.flag.equals(flag)) {
        return engine;
      }
    }
    throw new IllegalArgumentException("unknown engine " + flag);
  }

  /**
   * The JVM flags a Flink or Spark JVM needs on Java 17: the launcher's own, which the build writes
   * from the pom to {@code runners/<engine>/target/jvm.args} (one line, flags without spaces).
   */
  static List<String> launcherJvmFlags(String engine) {
    Path args =
        Path.of(System.getProperty("sluice.root", "."))
            .resolve("runners")
            .resolve(engine)
            .resolve("target/jvm.args");
    try {
      return List.of(Files.readString(args).trim().split("\\s+"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read " + args + " (written by the build): run the benchmark with ./sluice bench",
          e);
    }
  }

  /** {@code java -Xmx<heap>}: the start of every run's command. */
  static List<String> java(String heap) {
    return new ArrayList<>(
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
  }

  /**
   * The command that runs {@code job} over {@code input} into {@code outputDir} on this engine.
   *
   * @param root the repository (runner modules' {@code target/classpath.txt} and jars)
   * @param benchClasspath this module's classpath
   */
  List<String> command(
      Path root, String benchClasspath, String heap, String job, Path input, Path outputDir) {
    List<String> command = java(heap);
    switch (this) {
      case DIRECT, FLINK, SPARK -> {
        return beamRun(
            root,
            heap,
            sluiceRun(job, "file:" + input, "file:" + outputDir.resolve("out"), List.of()),
            "local[2]");
      }
      case NATIVE_FLINK -> {
        command.addAll(launcherJvmFlags("flink"));
        command.addAll(
            List.of(
                "-cp",
                benchClasspath,
                "dev.sluice.runners.benchmarks.nativeflink.NativeFlink",
                job,
                "--input=" + input,
                "--output=" + outputDir,
                "--parallelism=2"));
      }
      case JAVA ->
          command.addAll(
              List.of(
                  "-cp",
                  benchClasspath,
                  "dev.sluice.runners.benchmarks.PlainJava",
                  job,
                  "--input=" + input,
                  "--output=" + outputDir));
    }
    return command;
  }

  /**
   * The command that runs {@code job} as a stream from the Kafka URI {@code input} to {@code
   * output} with {@code jobFlags} added (e.g. {@code --trigger=...}, {@code --windowSize=...}); the
   * native Flink job takes the same URIs and window flags.
   */
  List<String> streamCommand(
      Path root, String heap, String job, String input, String output, List<String> jobFlags) {
    switch (this) {
      case DIRECT, FLINK, SPARK -> {
        // Spark runs a windowed stream right only in one split (the launcher refuses more).
        return beamRun(root, heap, sluiceRun(job, input, output, jobFlags), "local[1]");
      }
      case NATIVE_FLINK -> {
        List<String> command = java(heap);
        command.addAll(launcherJvmFlags("flink"));
        command.addAll(
            List.of(
                "-cp",
                runnerClasspath(root, "benchmarks"),
                "dev.sluice.runners.benchmarks.nativeflink.NativeFlinkStream",
                job,
                "--input=" + input,
                "--output=" + output,
                "--parallelism=2"));
        command.addAll(jobFlags);
        return command;
      }
      default -> throw new IllegalArgumentException(label + " runs no stream");
    }
  }

  /**
   * {@code java ... dev.sluice.launcher.Sluice run ...} on this Beam engine's classpath ({@code
   * sparkMaster} for Spark).
   */
  private List<String> beamRun(Path root, String heap, List<String> run, String sparkMaster) {
    List<String> command = java(heap);
    switch (this) {
      case DIRECT -> {
        command.addAll(List.of("-cp", runnerClasspath(root, "direct")));
        command.addAll(run);
        command.add("--runner=DirectRunner");
      }
      case FLINK -> {
        command.addAll(launcherJvmFlags("flink"));
        command.addAll(List.of("-cp", runnerClasspath(root, "flink")));
        command.addAll(run);
        command.addAll(
            List.of(
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--parallelism=2",
                "--flinkConfDir=" + root.resolve("runners/flink/conf")));
      }
      case SPARK -> {
        command.addAll(launcherJvmFlags("spark"));
        command.addAll(List.of("-cp", runnerClasspath(root, "spark")));
        command.addAll(run);
        command.addAll(List.of("--runner=SparkRunner", "--sparkMaster=" + sparkMaster));
      }
      default -> throw new IllegalStateException(label + " is not a Beam runner");
    }
    return command;
  }

  private static List<String> sluiceRun(
      String job, String input, String output, List<String> jobFlags) {
    List<String> run =
        new ArrayList<>(
            List.of(
                "dev.sluice.launcher.Sluice",
                "run",
                job,
                "--input=" + input,
                "--output=" + output,
                "--progressEvery=off"));
    run.addAll(jobFlags);
    return run;
  }

  /**
   * A runner module's jar and its runtime classpath (direct, flink, spark, benchmarks), as {@code
   * ./sluice} builds them.
   */
  static String runnerClasspath(Path root, String runner) {
    Path module = root.resolve("runners").resolve(runner).resolve("target");
    Path classpath = module.resolve("classpath.txt");
    Path jar = module.resolve("sluice-runners-" + runner + "-0.1.0-SNAPSHOT.jar");
    if (!Files.isRegularFile(classpath) || !Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "runners/" + runner + " is not built; run ./sluice build (./sluice bench builds it)");
    }
    try {
      return jar + ":" + Files.readString(classpath, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
