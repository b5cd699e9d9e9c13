package dev.sluice.transforms.join;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;

/** The row value types and their coders, without a pipeline. */
class RowTypesTest {
  private static final TupleTag<String> ORDERS = new TupleTag<>("orders");
  private static final TupleTag<Long> LIMITS = new TupleTag<>("limits");

  @Test
  void anAbsentSideIsNotNullAndRefusesToGiveAValue() {
    Side<String> absent = Side.absent();
    assertThat(absent.isPresent(), equalTo(false));
    assertThat(absent.orElse("fallback"), equalTo("fallback"));
    NoSuchElementException e = assertThrows(NoSuchElementException.class, absent::get);
    assertThat(e.getMessage(), containsString("absent"));
    // A present side that holds null (a nullable input) is still present, and differs from absent.
    assertThat(Side.present(null).isPresent(), equalTo(true));
    assertThat(Side.present(null), not(equalTo(Side.absent())));
  }

  @Test
  void aJoinedRowNeedsAtLeastOnePresentSide() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Joined.of(Side.absent(), Side.absent()));
    assertThat(e.getMessage(), containsString("at least one present side"));
    Joined<String, Long> leftOnly = Joined.leftOnly("x");
    assertThat(leftOnly.isMatched(), equalTo(false));
    assertThat(leftOnly.right().isPresent(), equalTo(false));
    assertThat(Joined.both("x", 1L).isMatched(), equalTo(true));
  }

  @Test
  void sideAndJoinedCodersRoundTripAndAreDeterministicForDeterministicValues() throws Exception {
    Joined.JoinedCoder<String, Long> coder =
        Joined.JoinedCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    for (Joined<String, Long> row :
        List.<Joined<String, Long>>of(
            Joined.both("ä", 1L), Joined.leftOnly(""), Joined.rightOnly(-7L))) {
      CoderProperties.coderDecodeEncodeEqual(coder, row);
      CoderProperties.coderDeterministic(coder, row, Joined.of(row.left(), row.right()));
    }
    coder.verifyDeterministic();
    CoderProperties.coderSerializable(coder);
    // Null inside a present side survives when the value coder allows null.
    Side.SideCoder<String> nullable = Side.SideCoder.of(NullableCoder.of(StringUtf8Coder.of()));
    CoderProperties.coderDecodeEncodeEqual(nullable, Side.present(null));
    CoderProperties.coderDecodeEncodeEqual(nullable, Side.absent());
  }

  @Test
  void codersOverNonDeterministicValuesSayTheyAreNotDeterministic() {
    assertThrows(
        org.apache.beam.sdk.coders.Coder.NonDeterministicException.class,
        () -> Joined.JoinedCoder.of(StringUtf8Coder.of(), DoubleCoder.of()).verifyDeterministic());
    assertThrows(
        org.apache.beam.sdk.coders.Coder.NonDeterministicException.class,
        () ->
            JoinRow.JoinRowCoder.of(
                    List.of(ORDERS, LIMITS), List.of(StringUtf8Coder.of(), DoubleCoder.of()))
                .verifyDeterministic());
  }

  @Test
  void theRegistryInfersTheCodersOfSideAndJoinedFromTheirValueTypes() throws Exception {
    CoderRegistry registry = CoderRegistry.createDefault();
    assertThat(
        registry.getCoder(new TypeDescriptor<Joined<String, Long>>() {}),
        equalTo(Joined.JoinedCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    assertThat(
        registry.getCoder(new TypeDescriptor<Side<List<String>>>() {}),
        equalTo(Side.SideCoder.of(ListCoder.of(StringUtf8Coder.of()))));
  }

  @Test
  void aJoinRowGivesEachTagsSideAndRefusesATagItDoesNotHave() {
    JoinRow row = JoinRow.builder().present(ORDERS, "o1").absent(LIMITS).build();
    assertThat(row.get(ORDERS), equalTo(Side.present("o1")));
    assertThat(row.get(LIMITS).isPresent(), equalTo(false));
    assertThat(row.tagIds(), equalTo(List.of("orders", "limits")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> row.get(new TupleTag<>("accounts")));
    assertThat(e.getMessage(), containsString("'accounts'"));
    assertThat(e.getMessage(), containsString("[orders, limits]"));
  }

  @Test
  void aJoinRowRefusesAllAbsentSidesAndARepeatedTag() {
    assertThrows(
        IllegalArgumentException.class,
        () -> JoinRow.builder().absent(ORDERS).absent(LIMITS).build());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JoinRow.builder().present(ORDERS, "a").present(ORDERS, "b"));
    assertThat(e.getMessage(), containsString("'orders' is set twice"));
  }

  @Test
  void joinRowsEqualByTagAndSideWhateverTheOrderTheyWereBuiltIn() {
    assertThat(
        JoinRow.builder().present(ORDERS, "o").present(LIMITS, 5L).build(),
        equalTo(JoinRow.builder().present(LIMITS, 5L).present(ORDERS, "o").build()));
    assertThat(
        JoinRow.builder().present(ORDERS, "o").absent(LIMITS).build(),
        not(equalTo(JoinRow.builder().present(ORDERS, "o").present(LIMITS, 5L).build())));
  }

  @Test
  void theJoinRowCoderRoundTripsItsTagsAndRefusesARowOfOtherTags() throws Exception {
    JoinRow.JoinRowCoder coder =
        JoinRow.JoinRowCoder.of(
            List.of(ORDERS, LIMITS), List.of(StringUtf8Coder.of(), VarLongCoder.of()));
    JoinRow row = JoinRow.builder().present(ORDERS, "o").absent(LIMITS).build();
    CoderProperties.coderDecodeEncodeEqual(coder, row);
    CoderProperties.coderDeterministic(
        coder, row, JoinRow.builder().absent(LIMITS).present(ORDERS, "o").build());
    coder.verifyDeterministic();
    CoderProperties.coderSerializable(coder);
    assertThat(CoderUtils.clone(coder, row).get(ORDERS).get(), equalTo("o"));

    JoinRow other = JoinRow.builder().present(new TupleTag<String>("accounts"), "x").build();
    CoderException e =
        assertThrows(CoderException.class, () -> CoderUtils.encodeToByteArray(coder, other));
    assertThat(e.getMessage(), containsString("[accounts]"));
    // Coders of different tags are different coders, even over the same value coders.
    assertThat(
        coder,
        not(
            equalTo(
                JoinRow.JoinRowCoder.of(
                    List.of(ORDERS, new TupleTag<Long>("other")),
                    List.of(StringUtf8Coder.of(), VarLongCoder.of())))));
  }
}
