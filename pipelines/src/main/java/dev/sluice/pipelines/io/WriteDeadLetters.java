package dev.sluice.pipelines.io;

import dev.sluice.transforms.quality.DeadLetter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes dead letters as JSON lines ({@link DeadLetter#toJson}) to a sink URI: one file, or a topic
 * keyed by nothing.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private final WriteLines write;

  private WriteDeadLetters(WriteLines write) {
    this.write = write;
  }

  /** Writes to {@code uri}, which came from option {@code flag}. */
  public static WriteDeadLetters to(String flag, String uri) {
    return new WriteDeadLetters(WriteLines.to(flag, uri).withNumShards(1));
  }

  @Override
  public PDone expand(PCollection<DeadLetter> letters) {
    return letters
        .apply(
            "FormatDeadLetters",
            MapElements.into(TypeDescriptors.strings()).via(DeadLetter::toJson))
        .apply("WriteDeadLetters", write);
  }
}
