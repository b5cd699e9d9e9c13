package dev.sluice.transforms.partition;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;

/**
 * The position of a round-robin dealer: it advances by one per element, across bundles, and starts
 * at the stable hash of the first element it sees (not at 0, which would give the first partition
 * an extra element from every worker; not at random, so that a worker fed the same elements deals
 * them the same way).
 */
final class RoundRobinCursor<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Coder<T> elementCoder;
  private transient long next;
  private transient boolean started;

  RoundRobinCursor(Coder<T> elementCoder) {
    this.elementCoder = elementCoder;
  }

  /** The position of {@code element}, a non-negative number; the caller reduces it modulo k. */
  long next(T element) {
    if (!started) {
      next = StableHash.hash64(StableHash.encode(elementCoder, element)) >>> 1;
      started = true;
    }
    long position = next;
    next = (next + 1) & Long.MAX_VALUE;
    return position;
  }
}
