package dev.sluice.testing.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.conformance.JobCase;
import dev.sluice.testing.conformance.JobCases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every job: the same events (out of order within the bound, malformed included, none late),
 * run once in batch over a file and once as a stream over a live Kafka topic on the DirectRunner,
 * give the same ON_TIME results for every window the stream has closed (window end at most the
 * largest event time minus the allowed out-of-orderness), output by output.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StreamEqualsBatchTest {
  static Stream<JobCase> cases() {
    return JobCases.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aStreamingRunGivesTheBatchRunsOnTimeResults(JobCase c, KafkaBroker broker, @TempDir Path dir)
      throws Exception {
    GeneratorSettings settings = c.settings().withLate(0, c.settings().lateBy());
    GeneratedEvents events = Generators.named(c.generator()).orElseThrow().generate(settings);
    Path input = dir.resolve("events.jsonl");
    Files.write(input, events.lines(), StandardCharsets.UTF_8);
    JobRun.Result batch = runBatch(c, "file:" + input, "file:" + dir.resolve("batch"));

    String in = c.job() + "-in";
    String out = c.job() + "-out";
    broker.createTopic(in, 2);
    PipelineResult stream =
        startStream(
            c,
            broker.uri(in) + "?out-of-order=" + c.outOfOrder().toSeconds() + "s&idle=1s",
            broker.uri(out) + "?partitions=1");
    try {
      List<ProducerRecord<String, String>> records = new ArrayList<>();
      for (int i = 0; i < events.lines().size(); i++) {
        records.add(
            new ProducerRecord<>(
                in,
                i % 2,
                events.eventTimes().get(i),
                events.keys().get(i),
                events.lines().get(i)));
      }
      int third = records.size() / 3;
      broker.send(records.subList(0, third));
      KafkaRuns.sleep(Duration.ofSeconds(1));
      broker.send(records.subList(third, records.size()));

      long maxEventTime =
          events.eventTimes().stream()
              .filter(t -> t != null)
              .mapToLong(Long::longValue)
              .max()
              .getAsLong();
      Instant closedBy = Instant.ofEpochMilli(maxEventTime).minus(c.outOfOrder());
      // What the batch run wrote for the windows the stream closes, every output (an empty one
      // included: then the stream must write none of it either).
      Map<String, List<String>> expected = new TreeMap<>();
      for (String suffix : c.model().apply(events.lines()).keySet()) {
        expected.put(
            suffix,
            batch.lines(suffix).stream()
                .filter(l -> !KafkaRuns.windowEnd(l).isAfter(closedBy))
                .collect(Collectors.toList()));
      }
      assertThat("closed windows with results", expected.get(""), is(not(empty())));
      for (Map.Entry<String, List<String>> output : expected.entrySet()) {
        String topic = out + output.getKey();
        int want = output.getValue().size();
        KafkaRuns.awaitValues(
            broker, topic, v -> v.size() >= want, Duration.ofSeconds(120), want + " results");
      }
      // Stop the stream, then compare everything it wrote: a late or doubled line shows.
      KafkaRuns.stop(stream);
      for (Map.Entry<String, List<String>> output : expected.entrySet()) {
        String topic = out + output.getKey();
        List<String> got =
            broker.readAll(topic).stream()
                .map(ConsumerRecord::value)
                .filter(l -> !KafkaRuns.windowEnd(l).isAfter(closedBy))
                .sorted()
                .collect(Collectors.toList());
        assertThat(c.job() + " " + topic, got, equalTo(output.getValue()));
      }
    } finally {
      stream.cancel();
    }
  }

  private static JobRun.Result runBatch(JobCase c, String input, String output) {
    return JobRun.of(c.job()).args("--input=" + input, "--output=" + output).args(c.flags()).ok();
  }

  private static PipelineResult startStream(JobCase c, String input, String output) {
    List<String> args = new ArrayList<>(List.of("--input=" + input, "--output=" + output));
    args.addAll(c.flags());
    dev.sluice.launcher.jobs.Job<?> job =
        dev.sluice.launcher.jobs.Jobs.named(c.job()).orElseThrow();
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(job.optionsClass());
    options.as(DirectOptions.class).setBlockOnRun(false);
    return job.build(options).run();
  }
}
