package dev.sluice.transforms.join;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One side of a joined row: either present with a value, or absent because the other side had no
 * match. A missing side is this explicit {@link #absent()} marker, never a bare {@code null}.
 *
 * <pre>{@code
 * Joined<Order, Account> row = ...;
 * String owner = row.right().isPresent() ? row.right().get().owner() : "unknown";
 * Account account = row.right().orElse(Account.UNKNOWN);
 * }</pre>
 *
 * <p>A present side holds whatever value its input held, including {@code null} if that input's
 * coder allows nulls: presence is about the join, not about the value.
 */
@DefaultCoder(Side.SideCoder.class)
public final class Side<T> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Side<?> ABSENT = new Side<>(false, null);

  private final boolean present;
  private final @Nullable T value;

  private Side(boolean present, @Nullable T value) {
    this.present = present;
    this.value = value;
  }

  /** A side that has {@code value}. */
  public static <T> Side<T> present(@Nullable T value) {
    return new Side<>(true, value);
  }

  /** A side with no value: the join found no match for it. */
  @SuppressWarnings("unchecked")
  public static <T> Side<T> absent() {
    return (Side<T>) ABSENT;
  }

  public boolean isPresent() {
    return present;
  }

  /**
   * The value of a present side.
   *
   * @throws NoSuchElementException if the side is absent
   */
  public @Nullable T get() {
    if (!present) {
      throw new NoSuchElementException("this side is absent: the join found no match for it");
    }
    return value;
  }

  /** The value if present, else {@code other}. */
  public @Nullable T orElse(@Nullable T other) {
    return present ? value : other;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Side)) {
      return false;
    }
    Side<?> that = (Side<?>) o;
    return present == that.present && Objects.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return present ? 31 + Objects.hashCode(value) : 0;
  }

  @Override
  public String toString() {
    return present ? "present(" + value + ")" : "absent";
  }

  /**
   * Encodes a presence byte, then the value with the value coder when present. Deterministic
   * exactly when the value coder is; {@code @DefaultCoder} lets the coder registry infer it.
   *
   * <pre>{@code
   * Coder<Side<String>> coder = Side.SideCoder.of(StringUtf8Coder.of());
   * }</pre>
   */
  public static final class SideCoder<T> extends StructuredCoder<Side<T>> {
    private static final long serialVersionUID = 1L;
    private static final int ABSENT_BYTE = 0;
    private static final int PRESENT_BYTE = 1;

    private final Coder<T> valueCoder;

    private SideCoder(Coder<T> valueCoder) {
      this.valueCoder = Objects.requireNonNull(valueCoder, "valueCoder");
    }

    public static <T> SideCoder<T> of(Coder<T> valueCoder) {
      return new SideCoder<>(valueCoder);
    }

    /** Lets {@link DefaultCoder} infer {@code Side<T>}'s coder from the coder of {@code T}. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.fromStaticMethods(Side.class, SideCoder.class);
    }

    public Coder<T> getValueCoder() {
      return valueCoder;
    }

    @Override
    public void encode(Side<T> side, OutputStream out) throws IOException {
      if (side.present) {
        out.write(PRESENT_BYTE);
        valueCoder.encode(side.value, out);
      } else {
        out.write(ABSENT_BYTE);
      }
    }

    @Override
    public Side<T> decode(InputStream in) throws IOException {
      int marker = in.read();
      switch (marker) {
        case PRESENT_BYTE:
          return present(valueCoder.decode(in));
        case ABSENT_BYTE:
          return absent();
        default:
          throw new CoderException("invalid Side presence byte " + marker + ", expected 0 or 1");
      }
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(valueCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "the value coder of a Side must be deterministic", valueCoder);
    }

    @Override
    public boolean consistentWithEquals() {
      return valueCoder.consistentWithEquals();
    }
  }
}
