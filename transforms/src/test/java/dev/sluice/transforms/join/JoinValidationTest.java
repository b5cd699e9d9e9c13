package dev.sluice.transforms.join;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Misuse is refused when the pipeline is built, with a message naming the transform, the input and
 * the value. These pipelines are only constructed, never run.
 */
class JoinValidationTest {
  private static final KvCoder<String, String> STRINGS =
      KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
  private static final KvCoder<Long, String> LONG_KEYS =
      KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of());

  private final Pipeline p = Pipeline.create();

  private PCollection<KV<String, String>> strings(String name) {
    return p.apply(name, Create.of(KV.of("a", "x")).withCoder(STRINGS));
  }

  @Test
  void inputsWithDifferentKeyCodersAreRefused() {
    PCollection<KV<Long, String>> longKeys =
        p.apply(Create.of(KV.of(1L, "x")).withCoder(LONG_KEYS));
    @SuppressWarnings({"unchecked", "rawtypes"})
    PCollection<KV<String, String>> mislabelled = (PCollection) longKeys;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> strings("Left").apply("Join", Join.inner(mislabelled)));
    assertThat(e.getMessage(), containsString("Join.inner: input 'right' encodes keys with"));
    assertThat(e.getMessage(), containsString("VarLongCoder"));
    assertThat(e.getMessage(), containsString("StringUtf8Coder"));
  }

  @Test
  void aNonDeterministicKeyCoderIsRefused() {
    KvCoder<Double, String> coder = KvCoder.of(DoubleCoder.of(), StringUtf8Coder.of());
    PCollection<KV<Double, String>> left =
        p.apply("L", Create.of(KV.of(1.0, "x")).withCoder(coder));
    PCollection<KV<Double, String>> right =
        p.apply("R", Create.of(KV.of(1.0, "y")).withCoder(coder));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> left.apply("Join", Join.<Double, String, String>fullOuter(right)));
    assertThat(e.getMessage(), containsString("Join.fullOuter: the key coder DoubleCoder"));
    assertThat(e.getMessage(), containsString("not deterministic"));
  }

  @Test
  void inputsInDifferentWindowsAreRefused() {
    PCollection<KV<String, String>> minutes =
        strings("Left").apply("Minutes", Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    PCollection<KV<String, String>> hours =
        strings("Right").apply("Hours", Window.into(FixedWindows.of(Duration.standardHours(1))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> minutes.apply("Join", Join.leftOuter(hours)));
    assertThat(e.getMessage(), containsString("Join.leftOuter: input 'right' is windowed by"));
    assertThat(e.getMessage(), containsString("window all inputs the same way"));
  }

  @Test
  void aRightInputFromAnotherPipelineIsRefused() {
    Pipeline other = Pipeline.create();
    PCollection<KV<String, String>> foreign =
        other.apply(Create.of(KV.of("a", "x")).withCoder(STRINGS));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> strings("Left").apply("Join", Join.rightOuter(foreign)));
    assertThat(e.getMessage(), containsString("another pipeline"));
  }

  @Test
  void aMissingRightInputIsRefusedAtConstruction() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> Join.inner(null));
    assertThat(e.getMessage(), containsString("Join.inner: right"));
  }

  @Test
  void windowedJoinRefusesTheGlobalWindowAndANegativeLateness() {
    IllegalArgumentException global =
        assertThrows(IllegalArgumentException.class, () -> WindowedJoin.into(new GlobalWindows()));
    assertThat(global.getMessage(), containsString("GlobalWindows"));
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                WindowedJoin.into(SlidingWindows.of(Duration.standardMinutes(2)))
                    .withAllowedLateness(Duration.millis(-1)));
    assertThat(
        negative.getMessage(), containsString("lateness must be zero or more, was PT-0.001S"));
  }

  @Test
  void multiJoinRefusesATagThatIsNotAnInputAndASingleInput() {
    TupleTag<String> a = new TupleTag<>("a");
    TupleTag<String> b = new TupleTag<>("b");
    KeyedPCollectionTuple<String> two =
        KeyedPCollectionTuple.of(a, strings("A")).and(b, strings("B"));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> two.apply("Join", MultiJoin.<String>inner().withOptional(new TupleTag<>("c"))));
    assertThat(unknown.getMessage(), containsString("tag 'c', which is not an input"));
    assertThat(unknown.getMessage(), containsString("[a, b]"));

    IllegalArgumentException single =
        assertThrows(
            IllegalArgumentException.class,
            () -> KeyedPCollectionTuple.of(a, strings("Only")).apply(MultiJoin.fullOuter()));
    assertThat(single.getMessage(), containsString("at least two tagged inputs, got 1"));

    assertThrows(IllegalArgumentException.class, () -> MultiJoin.<String>inner().withRequired());
  }

  @Test
  void lookupJoinRefusesATableWithAnotherKeyCoder() {
    PCollection<KV<Long, String>> longKeys =
        p.apply("Table", Create.of(KV.of(1L, "x")).withCoder(LONG_KEYS));
    @SuppressWarnings({"unchecked", "rawtypes"})
    PCollection<KV<String, String>> mislabelled = (PCollection) longKeys;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> strings("Main").apply("LookUp", LookupJoin.leftOuter(mislabelled)));
    assertThat(e.getMessage(), containsString("LookupJoin.leftOuter: input 'table' encodes keys"));
  }
}
