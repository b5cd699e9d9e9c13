package dev.sluice.transforms.join;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One row of a two-way join: a left and a right {@link Side}, at least one of them present. An
 * inner join gives rows with both sides present; a left outer join may give rows whose right side
 * is {@link Side#absent() absent}, a right outer join rows whose left side is absent, and a full
 * outer join either.
 *
 * <pre>{@code
 * PCollection<KV<String, Joined<Order, Account>>> rows =
 *     orders.apply("JoinAccounts", Join.leftOuter(accounts));
 * // for each row: row.left().get() is the order; row.right() is the account, or absent
 * }</pre>
 */
@DefaultCoder(Joined.JoinedCoder.class)
public final class Joined<L, R> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Side<L> left;
  private final Side<R> right;

  private Joined(Side<L> left, Side<R> right) {
    this.left = Objects.requireNonNull(left, "left");
    this.right = Objects.requireNonNull(right, "right");
    if (!left.isPresent() && !right.isPresent()) {
      throw new IllegalArgumentException(
          "a joined row needs at least one present side, both were absent");
    }
  }

  /**
   * A row with the given sides.
   *
   * @throws IllegalArgumentException if both sides are absent
   */
  public static <L, R> Joined<L, R> of(Side<L> left, Side<R> right) {
    return new Joined<>(left, right);
  }

  /** A matched row: both sides present. */
  public static <L, R> Joined<L, R> both(@Nullable L left, @Nullable R right) {
    return new Joined<>(Side.present(left), Side.present(right));
  }

  /** A left value without a match on the right. */
  public static <L, R> Joined<L, R> leftOnly(@Nullable L left) {
    return new Joined<>(Side.present(left), Side.absent());
  }

  /** A right value without a match on the left. */
  public static <L, R> Joined<L, R> rightOnly(@Nullable R right) {
    return new Joined<>(Side.absent(), Side.present(right));
  }

  public Side<L> left() {
    return left;
  }

  public Side<R> right() {
    return right;
  }

  /** Whether both sides are present, that is the key matched on both inputs. */
  public boolean isMatched() {
    return left.isPresent() && right.isPresent();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Joined
        && left.equals(((Joined<?, ?>) o).left)
        && right.equals(((Joined<?, ?>) o).right);
  }

  @Override
  public int hashCode() {
    return 31 * left.hashCode() + right.hashCode();
  }

  @Override
  public String toString() {
    return "Joined{left=" + left + ", right=" + right + "}";
  }

  /**
   * Encodes the left side, then the right side, each with its value coder. Deterministic exactly
   * when both value coders are. The joins set it on their output, and {@code @DefaultCoder} lets
   * the coder registry infer it from the value types.
   *
   * <pre>{@code
   * rows.setCoder(KvCoder.of(StringUtf8Coder.of(),
   *     Joined.JoinedCoder.of(orderCoder, accountCoder)));
   * }</pre>
   */
  public static final class JoinedCoder<L, R> extends StructuredCoder<Joined<L, R>> {
    private static final long serialVersionUID = 1L;

    private final Side.SideCoder<L> leftCoder;
    private final Side.SideCoder<R> rightCoder;

    private JoinedCoder(Coder<L> leftValueCoder, Coder<R> rightValueCoder) {
      this.leftCoder = Side.SideCoder.of(leftValueCoder);
      this.rightCoder = Side.SideCoder.of(rightValueCoder);
    }

    public static <L, R> JoinedCoder<L, R> of(Coder<L> leftValueCoder, Coder<R> rightValueCoder) {
      return new JoinedCoder<>(leftValueCoder, rightValueCoder);
    }

    /** Lets {@link DefaultCoder} infer {@code Joined<L, R>}'s coder from those of L and R. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.fromStaticMethods(Joined.class, JoinedCoder.class);
    }

    public Coder<L> getLeftValueCoder() {
      return leftCoder.getValueCoder();
    }

    public Coder<R> getRightValueCoder() {
      return rightCoder.getValueCoder();
    }

    @Override
    public void encode(Joined<L, R> row, OutputStream out) throws IOException {
      leftCoder.encode(row.left, out);
      rightCoder.encode(row.right, out);
    }

    @Override
    public Joined<L, R> decode(InputStream in) throws IOException {
      Side<L> left = leftCoder.decode(in);
      Side<R> right = rightCoder.decode(in);
      if (!left.isPresent() && !right.isPresent()) {
        throw new CoderException("invalid Joined encoding: both sides absent");
      }
      return new Joined<>(left, right);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(getLeftValueCoder(), getRightValueCoder());
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(
          this, "the value coders of a Joined must be deterministic", leftCoder, rightCoder);
    }

    @Override
    public boolean consistentWithEquals() {
      return leftCoder.consistentWithEquals() && rightCoder.consistentWithEquals();
    }
  }
}
