package dev.sluice.transforms.join;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;

/** Checks shared by the joins, each failing with a message that names the transform and input. */
final class JoinInputs {
  private JoinInputs() {}

  /** The {@link KvCoder} of a keyed input, or a clear error if it has another coder. */
  @SuppressWarnings("unchecked")
  static <K, V> KvCoder<K, V> kvCoder(String transform, String input, PCollection<KV<K, V>> pc) {
    Coder<KV<K, V>> coder = pc.getCoder();
    if (!(coder instanceof KvCoder)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: input '%s' must be encoded with a KvCoder so its key coder is known, was %s",
              transform, input, coder));
    }
    return (KvCoder<K, V>) coder;
  }

  /**
   * Checks that every input encodes its keys with the same, deterministic coder, and returns it: a
   * join groups by the encoded key, so equal keys must encode to equal bytes.
   */
  @SuppressWarnings("unchecked")
  static <K> Coder<K> commonKeyCoder(
      String transform, List<String> inputs, List<? extends Coder<?>> keyCoders) {
    Coder<?> first = keyCoders.get(0);
    for (int i = 1; i < keyCoders.size(); i++) {
      if (!first.equals(keyCoders.get(i))) {
        throw new IllegalArgumentException(
            String.format(
                "%s: input '%s' encodes keys with %s but input '%s' with %s;"
                    + " all inputs must use the same key coder",
                transform, inputs.get(i), keyCoders.get(i), inputs.get(0), first));
      }
    }
    try {
      first.verifyDeterministic();
    } catch (Coder.NonDeterministicException e) {
      throw new IllegalArgumentException(
          String.format(
              "%s: the key coder %s is not deterministic, so equal keys could fail to meet: %s",
              transform, first, e.getMessage()),
          e);
    }
    return (Coder<K>) first;
  }

  /** Checks that every input is windowed like the first: a join is per window. */
  static void checkSameWindowing(
      String transform, List<String> inputs, List<? extends PCollection<?>> pcs) {
    WindowingStrategy<?, ?> first = pcs.get(0).getWindowingStrategy();
    for (int i = 1; i < pcs.size(); i++) {
      WindowingStrategy<?, ?> other = pcs.get(i).getWindowingStrategy();
      if (!first.getWindowFn().isCompatible(other.getWindowFn())) {
        throw new IllegalArgumentException(
            String.format(
                "%s: input '%s' is windowed by %s but input '%s' by %s;"
                    + " a join is per window, so window all inputs the same way",
                transform, inputs.get(i), other.getWindowFn(), inputs.get(0), first.getWindowFn()));
      }
      if (!first.getTrigger().isCompatible(other.getTrigger())) {
        throw new IllegalArgumentException(
            String.format(
                "%s: input '%s' is triggered by %s but input '%s' by %s;"
                    + " give all inputs the same trigger",
                transform, inputs.get(i), other.getTrigger(), inputs.get(0), first.getTrigger()));
      }
    }
  }

  /** Checks that {@code other} belongs to the pipeline of {@code main}. */
  static void checkSamePipeline(
      String transform, String otherName, PCollection<?> main, PCollection<?> other) {
    if (main.getPipeline() != other.getPipeline()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: input '%s' (%s) belongs to another pipeline than the input it is applied to"
                  + " (%s)",
              transform, otherName, other.getName(), main.getName()));
    }
  }
}
