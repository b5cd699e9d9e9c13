package dev.sluice.testing.conformance;

import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.generate.Generators;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One job as the conformance suites run it: which generator feeds it and with which settings (late,
 * out-of-order and malformed records included), the job's flags, and its reference model, which
 * maps the input lines to the expected lines of each output: {@code ""} for {@code --output},
 * {@code ".alerts"} for {@code <output>.alerts}, and so on. Dead letters are checked apart.
 *
 * @param outOfOrder the {@code out-of-order=} a streaming run over Kafka uses (more than the
 *     settings' disorder, so that only the late records are late)
 * @param resultKeys per windowed output, the fields its Kafka records are keyed by (with the
 *     window): each pane of a window has the same key ({@code --trigger}); empty for a job without
 *     windows
 * @param paneFigure the main output's figure that accumulating panes never lower and discarding
 *     panes add up ({@code count}, {@code requests}, ...); empty for a job without windows
 */
public record JobCase(
    String job,
    String generator,
    GeneratorSettings settings,
    List<String> flags,
    Duration outOfOrder,
    Function<List<String>, Map<String, List<String>>> model,
    Map<String, List<String>> resultKeys,
    String paneFigure) {

  /** The case's events with none made late (its out-of-order ones stay within the bound). */
  public GeneratedEvents eventsNoneLate() {
    return Generators.named(generator)
        .orElseThrow()
        .generate(settings.withLate(0, settings.lateBy()));
  }

  /** This case with other job flags. */
  public JobCase withFlags(List<String> otherFlags) {
    return new JobCase(
        job, generator, settings, otherFlags, outOfOrder, model, resultKeys, paneFigure);
  }

  @Override
  public String toString() {
    return job;
  }
}
