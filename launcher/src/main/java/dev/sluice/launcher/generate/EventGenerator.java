package dev.sluice.launcher.generate;

/**
 * Makes one kind of event for a job's input, deterministically from {@link GeneratorSettings}:
 * {@code ./sluice generate <kind>} lists and runs them ({@link Generators}).
 */
public interface EventGenerator {
  /** The name users type, e.g. {@code access-logs}. */
  String kind();

  /** One line for {@code ./sluice generate list}. */
  String description();

  GeneratedEvents generate(GeneratorSettings settings);
}
