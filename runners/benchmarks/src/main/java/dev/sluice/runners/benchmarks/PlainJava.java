package dev.sluice.runners.benchmarks;

import dev.sluice.launcher.cli.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The CPU floor of a job's logic: its plain-Java reference model on one thread, no framework.
 * {@code PlainJava <job> --input=PATH --output=DIR}: reads the file, computes, writes each output
 * as {@code DIR/out-00000-of-00001.jsonl} ({@code out.alerts-…} for alerts), as a Beam job's files
 * are named. Prints {@code plain-java: <job> finished in S s} to standard error.
 */
@Command(name = "plain-java", description = "A job's plain-Java model on one thread.")
public final class PlainJava implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  @Parameters(index = "0", paramLabel = "JOB", description = "The job.")
  String job;

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "Its input.")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Its outputs.")
  Path output;

  public static void main(String[] args) {
    System.exit(Cli.execute(new PlainJava(), "plain-java", args, System.out, System.err));
  }

  @Override
  public Integer call() throws IOException {
    Workload workload =
        Workload.named(job).orElseThrow(() -> Cli.usage(spec, "unknown job '" + job + "'"));
    long start = System.nanoTime();
    List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
    Map<String, List<String>> outputs = workload.model(lines);
    Path dir = Files.createDirectories(output);
    for (Map.Entry<String, List<String>> output : outputs.entrySet()) {
      Files.write(
          dir.resolve("out" + output.getKey() + "-00000-of-00001.jsonl"),
          output.getValue(),
          StandardCharsets.UTF_8);
    }
    System.err.printf(
        Locale.ROOT,
        "plain-java: %s finished in %.1f s%n",
        workload.job(),
        (System.nanoTime() - start) / 1e9);
    return Cli.OK;
  }
}
