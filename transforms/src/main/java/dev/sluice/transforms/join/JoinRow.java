package dev.sluice.transforms.join;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One row of an N-way join ({@link MultiJoin}): for each input tag, a {@link Side} that holds one
 * value of that input or is absent, at least one of them present. Two rows are equal when they have
 * the same tags with equal sides.
 *
 * <pre>{@code
 * JoinRow row = ...;
 * Order order = row.get(ordersTag).get();            // a required tag is always present
 * Side<Limit> limit = row.get(limitsTag);            // an optional tag may be absent
 * }</pre>
 */
public final class JoinRow implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Tag id to side, in the order of the join's inputs. */
  private final Map<String, Side<?>> sides;

  private JoinRow(Map<String, Side<?>> sides) {
    this.sides = sides;
  }

  /** Starts a row; mostly for tests and for building expected rows. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The side of input {@code tag}.
   *
   * @throws IllegalArgumentException if the row has no such tag
   */
  @SuppressWarnings("unchecked")
  public <V> Side<V> get(TupleTag<V> tag) {
    Side<?> side = sides.get(tag.getId());
    if (side == null) {
      throw new IllegalArgumentException(
          "this row has no tag '" + tag.getId() + "'; its tags are " + sides.keySet());
    }
    return (Side<V>) side;
  }

  /** The ids of the row's tags, in the order of the join's inputs. */
  public List<String> tagIds() {
    return List.copyOf(sides.keySet());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof JoinRow && sides.equals(((JoinRow) o).sides);
  }

  @Override
  public int hashCode() {
    return sides.hashCode();
  }

  @Override
  public String toString() {
    return "JoinRow" + sides;
  }

  /**
   * Builds a {@link JoinRow}, one side per tag.
   *
   * <pre>{@code
   * JoinRow expected = JoinRow.builder().present(ordersTag, order).absent(limitsTag).build();
   * }</pre>
   */
  public static final class Builder {
    private final Map<String, Side<?>> sides = new LinkedHashMap<>();

    private Builder() {}

    /** Input {@code tag} contributes {@code value}. */
    public <V> Builder present(TupleTag<V> tag, @Nullable V value) {
      return side(tag, Side.present(value));
    }

    /** Input {@code tag} has no value for the row's key. */
    public Builder absent(TupleTag<?> tag) {
      return side(tag, Side.absent());
    }

    Builder side(TupleTag<?> tag, Side<?> side) {
      Objects.requireNonNull(tag, "tag");
      if (sides.putIfAbsent(tag.getId(), side) != null) {
        throw new IllegalArgumentException("tag '" + tag.getId() + "' is set twice in one row");
      }
      return this;
    }

    /**
     * @throws IllegalArgumentException if no side is present
     */
    public JoinRow build() {
      return JoinRow.of(new LinkedHashMap<>(sides));
    }
  }

  private static JoinRow of(Map<String, Side<?>> sides) {
    if (sides.values().stream().noneMatch(Side::isPresent)) {
      throw new IllegalArgumentException(
          "a join row needs at least one present side, tags " + sides.keySet() + " were absent");
    }
    return new JoinRow(Collections.unmodifiableMap(sides));
  }

  /**
   * Encodes a row of a fixed list of tags: for each tag in order, its side with that tag's value
   * coder. Deterministic exactly when every value coder is. {@link MultiJoin} sets it on its
   * output; build one yourself only for rows made elsewhere.
   *
   * <pre>{@code
   * JoinRow.JoinRowCoder coder =
   *     JoinRow.JoinRowCoder.of(List.of(ordersTag, limitsTag), List.of(orderCoder, limitCoder));
   * }</pre>
   */
  public static final class JoinRowCoder extends StructuredCoder<JoinRow> {
    private static final long serialVersionUID = 1L;

    private final List<String> tagIds;
    private final List<Side.SideCoder<?>> sideCoders;

    private JoinRowCoder(List<String> tagIds, List<Side.SideCoder<?>> sideCoders) {
      this.tagIds = tagIds;
      this.sideCoders = sideCoders;
    }

    /**
     * A coder for rows of {@code tags}, whose values {@code valueCoders} encode (same order).
     *
     * @throws IllegalArgumentException if the lists differ in length, are empty or repeat a tag
     */
    public static JoinRowCoder of(List<TupleTag<?>> tags, List<? extends Coder<?>> valueCoders) {
      if (tags.isEmpty() || tags.size() != valueCoders.size()) {
        throw new IllegalArgumentException(
            "JoinRowCoder needs one value coder per tag and at least one tag, got "
                + tags.size()
                + " tags and "
                + valueCoders.size()
                + " coders");
      }
      List<String> ids = new ArrayList<>();
      List<Side.SideCoder<?>> coders = new ArrayList<>();
      for (int i = 0; i < tags.size(); i++) {
        String id = tags.get(i).getId();
        if (ids.contains(id)) {
          throw new IllegalArgumentException("JoinRowCoder: tag '" + id + "' is listed twice");
        }
        ids.add(id);
        coders.add(Side.SideCoder.of(valueCoders.get(i)));
      }
      return new JoinRowCoder(List.copyOf(ids), List.copyOf(coders));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void encode(JoinRow row, OutputStream out) throws IOException {
      if (row.sides.size() != tagIds.size()) {
        throw mismatch(row);
      }
      for (int i = 0; i < tagIds.size(); i++) {
        Side<?> side = row.sides.get(tagIds.get(i));
        if (side == null) {
          throw mismatch(row);
        }
        ((Side.SideCoder) sideCoders.get(i)).encode(side, out);
      }
    }

    private CoderException mismatch(JoinRow row) {
      return new CoderException(
          "row tags " + row.sides.keySet() + " do not match the coder's tags " + tagIds);
    }

    @Override
    public JoinRow decode(InputStream in) throws IOException {
      Map<String, Side<?>> sides = new LinkedHashMap<>();
      for (int i = 0; i < tagIds.size(); i++) {
        sides.put(tagIds.get(i), sideCoders.get(i).decode(in));
      }
      if (sides.values().stream().noneMatch(Side::isPresent)) {
        throw new CoderException("invalid JoinRow encoding: every side absent");
      }
      return new JoinRow(Collections.unmodifiableMap(sides));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      List<Coder<?>> valueCoders = new ArrayList<>();
      for (Side.SideCoder<?> coder : sideCoders) {
        valueCoders.add(coder.getValueCoder());
      }
      return valueCoders;
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(
          this,
          "the value coders of a JoinRow must be deterministic",
          new ArrayList<Coder<?>>(sideCoders));
    }

    @Override
    public boolean consistentWithEquals() {
      return sideCoders.stream().allMatch(Coder::consistentWithEquals);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof JoinRowCoder
          && tagIds.equals(((JoinRowCoder) o).tagIds)
          && sideCoders.equals(((JoinRowCoder) o).sideCoders);
    }

    @Override
    public int hashCode() {
      return 31 * tagIds.hashCode() + sideCoders.hashCode();
    }

    @Override
    public String toString() {
      return "JoinRowCoder" + tagIds + getCoderArguments();
    }
  }
}
