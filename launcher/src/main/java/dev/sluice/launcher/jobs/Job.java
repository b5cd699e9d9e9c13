package dev.sluice.launcher.jobs;

import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;

/** A job the launcher can run: its name, what it does, its options and how to build it. */
public final class Job<O extends PipelineOptions> {
  private final String name;
  private final String description;
  private final Class<O> optionsClass;
  private final Function<O, Pipeline> build;

  private Job(String name, String description, Class<O> optionsClass, Function<O, Pipeline> build) {
    this.name = name;
    this.description = description;
    this.optionsClass = optionsClass;
    this.build = build;
  }

  public static <O extends PipelineOptions> Job<O> of(
      String name, String description, Class<O> optionsClass, Function<O, Pipeline> build) {
    return new Job<>(name, description, optionsClass, build);
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public Class<O> optionsClass() {
    return optionsClass;
  }

  /** Checks the options and builds the pipeline; throws IllegalArgumentException on a bad one. */
  public Pipeline build(PipelineOptions options) {
    return build.apply(options.as(optionsClass));
  }
}
