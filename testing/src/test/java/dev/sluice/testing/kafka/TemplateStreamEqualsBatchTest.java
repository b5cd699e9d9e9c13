package dev.sluice.testing.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.launcher.jobs.Job;
import dev.sluice.launcher.jobs.Jobs;
import dev.sluice.launcher.template.Template;
import dev.sluice.launcher.template.Template.Mode;
import dev.sluice.launcher.template.TemplateParameters;
import dev.sluice.launcher.template.Templates;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.conformance.JobCase;
import dev.sluice.testing.conformance.JobCases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * For every job, its {@code <job>-live} template over one Kafka topic: {@code --mode=stream} (the
 * job started while the events arrive) and, once they are all in, {@code ./sluice template run
 * --mode=batch} (the topic up to its end offsets) give the same ON_TIME results for every window
 * the stream has closed, output by output, on the DirectRunner.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TemplateStreamEqualsBatchTest {
  static Stream<JobCase> cases() {
    return JobCases.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theLiveTemplateStreamsWhatItComputesInBatch(JobCase c, KafkaBroker broker, @TempDir Path dir)
      throws Exception {
    GeneratorSettings settings = c.settings().withLate(0, c.settings().lateBy());
    GeneratedEvents events = Generators.named(c.generator()).orElseThrow().generate(settings);
    Template live = Templates.in(Path.of("..", "templates")).named(c.job() + "-live").orElseThrow();
    String in = c.job() + "-live-in";
    String out = c.job() + "-live-out";
    broker.createTopic(in, 2);

    Map<String, String> params = new LinkedHashMap<>();
    params.put("bootstrap", broker.bootstrapServers());
    params.put("topic", in);
    params.put("outOfOrder", c.outOfOrder().toSeconds() + "s");
    params.put("idle", "1s");
    params.put("output", broker.uri(out) + "?partitions=1");
    for (String flag : c.flags()) {
      params.put(flag.substring(2, flag.indexOf('=')), flag.substring(flag.indexOf('=') + 1));
    }
    PipelineResult stream = start(live, TemplateParameters.flags(live, Mode.STREAM, params));
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

      JobRun.Result batch = runBatch(c, broker, in, dir.resolve("batch"));

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

  /** {@code ./sluice template run <job>-live --mode=batch}: the topic so far, to files. */
  private static JobRun.Result runBatch(JobCase c, KafkaBroker broker, String topic, Path output) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--templates=" + Path.of("..", "templates"),
                "--mode=batch",
                "--param",
                "bootstrap=" + broker.bootstrapServers(),
                "--param",
                "topic=" + topic,
                "--param",
                "output=file:" + output));
    for (String flag : c.flags()) {
      args.add("--param");
      args.add(flag.substring(2));
    }
    return JobRun.template(c.job() + "-live").args(args).ok();
  }

  /** The template's stream run, started without blocking; the caller cancels it. */
  private static PipelineResult start(Template template, List<String> flags) {
    Job<?> job = Jobs.named(template.job()).orElseThrow();
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(flags.toArray(new String[0]))
            .withValidation()
            .as(job.optionsClass());
    options.as(DirectOptions.class).setBlockOnRun(false);
    return job.build(options).run();
  }
}
