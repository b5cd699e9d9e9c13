package dev.sluice.runners;

import dev.sluice.testing.conformance.JobCase;
import dev.sluice.testing.conformance.JobCases;
import dev.sluice.testing.conformance.KafkaProcessExtension;
import dev.sluice.testing.conformance.StreamingConformance;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On more than one Spark core every job's live stream is refused before launch: Beam's Spark runner
 * reads the stream in one split per core and advances the watermark to the most advanced split's
 * (Beam #19411). Measured here before the refusal: {@code word-count} over 3 partitions on {@code
 * local[2]} wrote 406 window results the model lacks (counts of windows closed before their records
 * were in) and lacked 427 of the model's, where {@code local[1]} wrote exactly the model's ({@link
 * SparkStreamingConformanceTest}).
 */
@ExtendWith(KafkaProcessExtension.class)
class SparkParallelStreamRefusalTest extends StreamingConformance {
  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=spark", "--sparkMaster=local[2]");
  }

  /** Every windowed job for its windows; the ledger's command side for its state and timers. */
  @Override
  protected Map<String, String> refusedJobs() {
    Map<String, String> refused =
        JobCases.all().stream()
            .collect(
                Collectors.toMap(
                    JobCase::job,
                    c ->
                        "over a live stream come out wrong on SparkRunner with"
                            + " --sparkMaster=local[2]: it reads the stream in one split per"
                            + " core"));
    refused.put("ledger-commands", "stateful processing/timers (step ");
    return refused;
  }

  @Override
  protected boolean writesFiles() {
    return false;
  }

  @Override
  protected String filesRefusal() {
    return "allowed lateness (step ";
  }

  @Override
  protected String triggerRefusal(String job, String trigger) {
    return SparkStreamingConformanceTest.sparkTriggerRefusal(trigger, refusedJobs().get(job));
  }
}
