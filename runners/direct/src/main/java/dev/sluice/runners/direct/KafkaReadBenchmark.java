package dev.sluice.runners.direct;

import dev.sluice.launcher.cli.Cli;
import dev.sluice.launcher.kafka.Topics;
import dev.sluice.pipelines.io.KafkaClients;
import dev.sluice.pipelines.io.ReadRecords;
import dev.sluice.testing.kafka.KafkaBroker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures a bounded read of one topic three ways, side by side in one JVM and one run: a plain
 * {@code KafkaConsumer} loop (the floor), Sluice's bounded read ({@code kafka://…?stop=now}) on the
 * DirectRunner, and KafkaIO's own bounded read ({@code withMaxNumRecords}) on the DirectRunner. The
 * DirectRunner runs with its immutability and encodability checks off (they are for tests, and cost
 * several times the read). Prints records/s per way and each way's ratio to the plain loop.
 *
 * <p>{@code ./sluice kafka bench [--records=1000000] [--partitions=4] [--runs=3]}: it starts its
 * own broker on 127.0.0.1 in this JVM and fills a topic with records of about 100 bytes first.
 */
@Command(
    name = "bench",
    description = "Records/s of a bounded Kafka read three ways, side by side (own broker).")
public final class KafkaReadBenchmark implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin Cli.Help help;

  @Option(names = "--records", paramLabel = "N", description = "Records to read (1000000).")
  int records = 1_000_000;

  @Option(names = "--partitions", paramLabel = "N", description = "The topic's partitions (4).")
  int partitions = 4;

  @Option(names = "--runs", paramLabel = "N", description = "Runs of each way (3).")
  int runs = 3;

  public static void main(String[] args) {
    System.exit(
        Cli.execute(new KafkaReadBenchmark(), "sluice kafka bench", args, System.out, System.err));
  }

  @Override
  public Integer call() throws Exception {
    for (Map.Entry<String, Integer> flag :
        Map.of("--records", records, "--partitions", partitions, "--runs", runs).entrySet()) {
      if (flag.getValue() < 1) {
        throw Cli.usage(
            spec, flag.getKey() + ": '" + flag.getValue() + "' is not allowed; allowed: 1 or more");
      }
    }
    System.out.printf(
        Locale.ROOT,
        "Kafka bounded read: %,d records of ~100 B over %d partitions; %d runs each after a"
            + " warm-up; %d cores, max heap %d MB%n",
        records,
        partitions,
        runs,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    try (KafkaBroker broker = KafkaBroker.start()) {
      fill(broker, "bench", partitions, records);
      List<String> names =
          List.of(
              "plain KafkaConsumer loop",
              "Sluice bounded read (Direct)",
              "KafkaIO withMaxNumRecords (Direct)");
      double[][] rates = new double[names.size()][runs];
      for (int run = -1; run < runs; run++) {
        for (int way = 0; way < names.size(); way++) {
          long start = System.nanoTime();
          long read = read(way, broker, records);
          double seconds = (System.nanoTime() - start) / 1e9;
          if (read != records) {
            throw new IllegalStateException(names.get(way) + " read " + read + " of " + records);
          }
          if (run >= 0) {
            rates[way][run] = records / seconds;
          }
          System.err.printf(Locale.ROOT, "  %s run %d: %.1f s%n", names.get(way), run + 1, seconds);
        }
      }
      double floor = median(rates[0]);
      System.out.printf(
          Locale.ROOT,
          "%-38s %14s %22s %10s%n",
          "way",
          "median rec/s",
          "min..max rec/s",
          "÷ plain");
      for (int way = 0; way < names.size(); way++) {
        double[] r = rates[way].clone();
        Arrays.sort(r);
        System.out.printf(
            Locale.ROOT,
            "%-38s %,14.0f %,10.0f..%,-11.0f %9.2f%n",
            names.get(way),
            median(r),
            r[0],
            r[r.length - 1],
            median(r) / floor);
      }
      long peakHeap =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
              .mapToLong(pool -> pool.getPeakUsage().getUsed())
              .sum();
      System.out.printf(
          Locale.ROOT, "peak heap in use, whole run (broker included): %d MB%n", peakHeap >> 20);
    }
    return Cli.OK;
  }

  private static void fill(KafkaBroker broker, String topic, int partitions, int records) {
    broker.createTopic(topic, partitions);
    String pad = "x".repeat(60);
    long t0 = 1_767_225_600_000L;
    KafkaProducer<String, String> producer = Topics.producer(broker.bootstrapServers());
    try {
      List<ProducerRecord<String, String>> batch = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        batch.add(
            new ProducerRecord<>(
                topic,
                i % partitions,
                t0 + i,
                null,
                "{\"ts\":" + (t0 + i) + ",\"text\":\"" + pad + i + "\"}"));
        if (batch.size() == 50_000 || i == records - 1) {
          Topics.sendAll(producer, batch);
          batch.clear();
        }
      }
    } finally {
      KafkaClients.close(producer);
    }
  }

  private static long read(int way, KafkaBroker broker, int records) {
    switch (way) {
      case 0:
        return plainLoop(broker);
      case 1:
        return beam(broker, records, true);
      default:
        return beam(broker, records, false);
    }
  }

  private static long plainLoop(KafkaBroker broker) {
    KafkaConsumer<String, String> consumer = Topics.consumer(broker.bootstrapServers());
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor("bench").stream()
              .map(p -> new TopicPartition("bench", p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      long read = 0;
      long bytes = 0;
      while (read < total) {
        ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(500));
        for (var r : batch) {
          bytes += r.value().length(); // touch each value, as a pipeline would
          read++;
        }
      }
      return bytes > 0 ? read : 0;
    } finally {
      KafkaClients.close(consumer);
    }
  }

  private static long beam(KafkaBroker broker, int records, boolean sluice) {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
    Pipeline p = Pipeline.create(options);
    if (sluice) {
      p.apply(ReadRecords.from("--input", broker.uri("bench") + "?stop=now"))
          .apply(ParDo.of(new CountFn<>()));
    } else {
      p.apply(
              KafkaIO.<byte[], String>read()
                  .withBootstrapServers(broker.bootstrapServers())
                  .withTopic("bench")
                  .withKeyDeserializer(ByteArrayDeserializer.class)
                  .withValueDeserializer(StringDeserializer.class)
                  .withConsumerConfigUpdates(Map.of("auto.offset.reset", "earliest"))
                  .withMaxNumRecords(records)
                  .withoutMetadata())
          .apply(ParDo.of(new CountFn<>()));
    }
    PipelineResult result = p.run();
    result.waitUntilFinish();
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("bench", "records"))
                    .build())
            .getCounters()) {
      return c.getAttempted();
    }
    return 0;
  }

  /** Counts elements, so the read is not optimised away and its size is checked. */
  static final class CountFn<T> extends DoFn<T, Void> {
    private final Counter records = Metrics.counter("bench", "records");

    @ProcessElement
    public void process() {
      records.inc();
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
