package dev.sluice.pipelines.fuzz;

import static java.util.Objects.requireNonNull;

import dev.sluice.transforms.quality.RecordParser;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.joda.time.Instant;

/**
 * A record parser as a job uses it, with what the fuzz tests need to judge its answers: the coder
 * its values travel with, the event time a job stamps them with, valid example lines to mutate, and
 * any further check a parsed value must pass to be usable downstream.
 */
final class FuzzedParser<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A further check of a parsed value; throws (an AssertionError) when the value is unusable. */
  @FunctionalInterface
  interface Check<T> extends Serializable {
    void check(T value) throws Exception;
  }

  private final String name;
  private final RecordParser<T> parser;
  private final Coder<T> coder;
  private final SerializableFunction<T, Instant> eventTime;
  private final List<String> validLines;
  private final Check<T> downstream;

  private FuzzedParser(
      String name,
      RecordParser<T> parser,
      Coder<T> coder,
      SerializableFunction<T, Instant> eventTime,
      List<String> validLines,
      Check<T> downstream) {
    this.name = requireNonNull(name, "name");
    this.parser = requireNonNull(parser, "parser");
    this.coder = requireNonNull(coder, "coder");
    this.eventTime = requireNonNull(eventTime, "eventTime");
    this.validLines = List.copyOf(validLines);
    this.downstream = requireNonNull(downstream, "downstream");
  }

  static <T> FuzzedParser<T> of(
      String name,
      RecordParser<T> parser,
      Coder<T> coder,
      SerializableFunction<T, Instant> eventTime,
      String... validLines) {
    return new FuzzedParser<>(name, parser, coder, eventTime, List.of(validLines), value -> {});
  }

  /** Also runs {@code check} on every parsed value (e.g. the coders of its parts). */
  FuzzedParser<T> alsoChecking(Check<T> check) {
    return new FuzzedParser<>(name, parser, coder, eventTime, validLines, check);
  }

  String name() {
    return name;
  }

  RecordParser<T> parser() {
    return parser;
  }

  Coder<T> coder() {
    return coder;
  }

  SerializableFunction<T, Instant> eventTime() {
    return eventTime;
  }

  List<String> validLines() {
    return validLines;
  }

  Check<T> downstream() {
    return downstream;
  }

  @Override
  public String toString() {
    return name;
  }
}
