package dev.sluice.pipelines.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** The offsets {@code [from, to)} of one partition of a topic: a piece of a bounded read. */
final class PartitionRange implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;
  private final long from;
  private final long to;

  private PartitionRange(String topic, int partition, long from, long to) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(
          String.format("bad offset range [%d, %d) of %s-%d", from, to, topic, partition));
    }
    this.topic = topic;
    this.partition = partition;
    this.from = from;
    this.to = to;
  }

  static PartitionRange of(String topic, int partition, long from, long to) {
    return new PartitionRange(topic, partition, from, to);
  }

  String topic() {
    return topic;
  }

  int partition() {
    return partition;
  }

  long from() {
    return from;
  }

  long to() {
    return to;
  }

  long size() {
    return to - from;
  }

  /** This range cut into consecutive pieces of at most {@code maxSize} offsets. */
  List<PartitionRange> split(long maxSize) {
    List<PartitionRange> pieces = new ArrayList<>();
    for (long a = from; a < to; a += maxSize) {
      pieces.add(of(topic, partition, a, Math.min(to, a + maxSize)));
    }
    return pieces;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PartitionRange)) {
      return false;
    }
    PartitionRange r = (PartitionRange) o;
    return topic.equals(r.topic) && partition == r.partition && from == r.from && to == r.to;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, from, to);
  }

  @Override
  public String toString() {
    return String.format("%s-%d[%d, %d)", topic, partition, from, to);
  }

  /** Topic, partition, from, to. */
  static final class Coder extends AtomicCoder<PartitionRange> {
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PartitionRange r, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(r.topic, out);
      VarIntCoder.of().encode(r.partition, out);
      VarLongCoder.of().encode(r.from, out);
      VarLongCoder.of().encode(r.to, out);
    }

    @Override
    public PartitionRange decode(InputStream in) throws IOException {
      return PartitionRange.of(
          StringUtf8Coder.of().decode(in),
          VarIntCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
