package dev.sluice.launcher;

import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptions;

/** What a running job has done so far, in a few words, for the launcher's progress lines. */
public interface ProgressProbe {
  /**
   * E.g. {@code "1,200 records read, 1,180 parsed, 20 dead letters, 0 lines written"}; empty when
   * there is no answer (yet). Called from a timer thread; must not block for long.
   */
  Optional<String> status();

  /**
   * Makes a probe for a runner whose {@code run()} blocks until the job ends, so that its {@code
   * PipelineResult} comes too late to ask; registered in {@code
   * META-INF/services/dev.sluice.launcher.ProgressProbe$Factory} by a runner module.
   */
  interface Factory {
    /** A probe for the job {@code options} describe, or empty if they name another runner. */
    Optional<ProgressProbe> probeFor(PipelineOptions options);
  }
}
