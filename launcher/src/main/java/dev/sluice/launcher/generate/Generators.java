package dev.sluice.launcher.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every event generator {@code ./sluice generate} knows, by kind. */
public final class Generators {
  private Generators() {}

  private static final Map<String, EventGenerator> ALL = new TreeMap<>();

  static {
    register(new WordLines());
    register(new TransactionsGenerator());
    register(new ClickGenerator());
    register(new SensorReadingsGenerator());
    register(new AccessLogGenerator());
    register(new LedgerCommandsGenerator());
    // Each job's generator registers here.
  }

  private static void register(EventGenerator generator) {
    ALL.put(generator.kind(), generator);
  }

  public static List<EventGenerator> all() {
    return List.copyOf(ALL.values());
  }

  public static Optional<EventGenerator> named(String kind) {
    return Optional.ofNullable(ALL.get(kind));
  }

  /** word-count's input through the shared knobs ({@code keys} and {@code skew} do not apply). */
  static final class WordLines implements EventGenerator {
    @Override
    public String kind() {
      return "words";
    }

    @Override
    public String description() {
      return "word-count input: JSON lines {\"ts\", \"text\"} with Zipf-distributed words";
    }

    @Override
    public GeneratedEvents generate(GeneratorSettings s) {
      WordLinesGenerator.Generated g =
          WordLinesGenerator.create()
              .seed(s.seed())
              .events(s.events())
              .span(s.start(), s.span().toMillis())
              .maxDisorderMillis(s.disorder().toMillis())
              .malformedShare(s.malformedShare())
              .late(s.lateShare(), s.lateBy().toMillis())
              .generate();
      List<Long> times = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      for (String line : g.lines()) {
        org.joda.time.Instant t = dev.sluice.pipelines.wordcount.TextEvent.timestampOrNull(line);
        times.add(t == null ? null : t.getMillis());
        keys.add(null);
      }
      return new GeneratedEvents(
          g.lines(), times, keys, g.malformedLineNumbers(), g.lateLineNumbers());
    }
  }
}
