package dev.sluice.runners.benchmarks;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.io.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The streaming benchmark's generator, in a JVM of its own: a workload's events written to a Kafka
 * topic at a fixed rate for a fixed time, each with event time = the wall-clock time it is due to
 * be written, in order (no disorder: what is out of order in a live stream is the engine's
 * business, bounded by the same {@code out-of-order} for every engine).
 *
 * <p>The events of each second are generated just before it (the workload's generator, seed 42 +
 * the second's number, {@code rate} events spread evenly over the second), then each is sent once
 * the clock reaches its event time, round-robin over the partitions. At the end it prints {@code
 * feed: N records, first T0, last T1, at most D ms behind schedule, E ms at the end}: a send that
 * lagged its event time at the end says the generator itself did not keep the rate (a pause of the
 * machine on the way shows only in the most).
 */
@Command(
    name = "stream-feed",
    description = "Writes a workload's events to a topic at a fixed rate, event time = now.")
public final class StreamFeed implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT")
  String bootstrap;

  @Option(names = "--topic", required = true, paramLabel = "TOPIC")
  String topic;

  @Option(names = "--job", required = true, paramLabel = "JOB", description = "Whose events.")
  String job;

  @Option(names = "--rate", required = true, paramLabel = "N", description = "Events a second.")
  int rate;

  @Option(names = "--duration", required = true, paramLabel = "DURATION")
  Duration duration;

  @Option(names = "--partitions", paramLabel = "N", description = "The topic's partitions (2).")
  int partitions = 2;

  public static void main(String[] args) {
    System.exit(Cli.execute(new StreamFeed(), "stream-feed", args, System.out, System.err));
  }

  @Override
  public Integer call() throws Exception {
    Workload workload =
        Workload.named(job).orElseThrow(() -> Cli.usage(spec, "--job: unknown '" + job + "'"));
    if (rate < 1 || partitions < 1) {
      throw Cli.usage(spec, "--rate and --partitions must be 1 or more");
    }
    long seconds = Math.max(1, duration.toSeconds());
    long records = 0;
    long maxBehind = 0;
    long lastBehind = 0;
    KafkaProducer<String, String> producer = Topics.producer(bootstrap);
    try {
      // The topic's metadata first, then a start a second or two ahead: the first events are
      // generated, and the producer connected, before they are due.
      producer.partitionsFor(topic);
      long start = (System.currentTimeMillis() / 1000 + 2) * 1000;
      AtomicReference<Exception> failed = new AtomicReference<>();
      for (long second = 0; second < seconds; second++) {
        GeneratedEvents events = eventsOfSecond(workload, start + second * 1000, second);
        for (int i = 0; i < events.lines().size(); i++) {
          long due = events.eventTimes().get(i);
          long now = System.currentTimeMillis();
          while (now < due) {
            LockSupport.parkNanos((due - now) * 1_000_000);
            now = System.currentTimeMillis();
          }
          lastBehind = now - due;
          maxBehind = Math.max(maxBehind, lastBehind);
          producer.send(
              new ProducerRecord<>(
                  topic,
                  (int) (records % partitions),
                  due,
                  events.keys().get(i),
                  events.lines().get(i)),
              (metadata, error) -> {
                if (error != null) {
                  failed.compareAndSet(null, error);
                }
              });
          records++;
        }
      }
      producer.flush();
      if (failed.get() != null) {
        throw new IllegalStateException("a write failed: " + failed.get(), failed.get());
      }
      System.out.printf(
          Locale.ROOT,
          "feed: %d records, first %s, last %s, at most %d ms behind schedule, %d ms at the end%n",
          records,
          Instant.ofEpochMilli(start),
          Instant.ofEpochMilli(start + seconds * 1000 - 1),
          maxBehind,
          lastBehind);
    } finally {
      KafkaClients.close(producer);
    }
    return Cli.OK;
  }

  /** The events due in the second from {@code startMillis}: {@code rate} of them, in order. */
  private GeneratedEvents eventsOfSecond(Workload workload, long startMillis, long second) {
    GeneratorSettings settings =
        workload
            .settings(rate)
            .withSeed(42 + second)
            .withStart(Instant.ofEpochMilli(startMillis))
            .withSpan(Duration.ofSeconds(1))
            .withDisorder(Duration.ZERO);
    return Generators.named(workload.generator()).orElseThrow().generate(settings);
  }
}
