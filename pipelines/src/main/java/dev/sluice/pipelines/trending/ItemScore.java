package dev.sluice.pipelines.trending;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One item's figures in one window: its clicks and its distinct users. Items rank by {@link
 * #RANKING}: more clicks first, ties by item id ascending, so every runner picks the same top
 * items.
 */
@DefaultCoder(ItemScore.Coder.class)
public final class ItemScore implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The order of a top list, as a "greater is better" comparator for {@code Top.perKey}: more
   * clicks is greater; with equal clicks the item whose id sorts first ({@link String#compareTo})
   * is greater. Item ids are unique within a category, so this is a total order.
   */
  public static final ByClicksThenItem RANKING = new ByClicksThenItem();

  private final String item;
  private final long clicks;
  private final long distinctUsers;

  public ItemScore(String item, long clicks, long distinctUsers) {
    this.item = Objects.requireNonNull(item, "item");
    this.clicks = clicks;
    this.distinctUsers = distinctUsers;
  }

  public String item() {
    return item;
  }

  public long clicks() {
    return clicks;
  }

  public long distinctUsers() {
    return distinctUsers;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ItemScore)) {
      return false;
    }
    ItemScore other = (ItemScore) o;
    return item.equals(other.item)
        && clicks == other.clicks
        && distinctUsers == other.distinctUsers;
  }

  @Override
  public int hashCode() {
    return Objects.hash(item, clicks, distinctUsers);
  }

  @Override
  public String toString() {
    return item + " " + clicks + " clicks, " + distinctUsers + " users";
  }

  /** See {@link #RANKING}. */
  public static final class ByClicksThenItem implements Comparator<ItemScore>, Serializable {
    private static final long serialVersionUID = 1L;

    private ByClicksThenItem() {}

    @Override
    public int compare(ItemScore a, ItemScore b) {
      int byClicks = Long.compare(a.clicks, b.clicks);
      return byClicks != 0 ? byClicks : b.item.compareTo(a.item);
    }

    private Object readResolve() {
      return RANKING;
    }
  }

  /** Deterministic coder: the item, then clicks and distinct users. */
  public static final class Coder extends AtomicCoder<ItemScore> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(ItemScore.class), INSTANCE);
    }

    @Override
    public void encode(ItemScore value, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(value.item, out);
      VarLongCoder.of().encode(value.clicks, out);
      VarLongCoder.of().encode(value.distinctUsers, out);
    }

    @Override
    public ItemScore decode(InputStream in) throws IOException {
      String item = StringUtf8Coder.of().decode(in);
      long clicks = VarLongCoder.of().decode(in);
      return new ItemScore(item, clicks, VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
