package dev.sluice.launcher;

import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignature;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;

/**
 * What a runner cannot do, checked on the built pipeline before it runs, without a runner
 * dependency: the runner is known by its class name, streaming by an unbounded PCollection. Beam's
 * capability matrix: the Spark runner in streaming supports no stateful processing or timers, no
 * allowed lateness and no accumulating panes. ({@code delivery=exactly-once} on Spark, or on Flink
 * without checkpointing, is refused by WriteKafka; a processing-time TestStream off Direct is a
 * test concern.)
 */
public final class Capabilities {
  private static final Set<String> SPARK =
      Set.of("SparkRunner", "TestSparkRunner", "SparkStructuredStreamingRunner");

  private Capabilities() {}

  /**
   * Why {@code runner} (its class's simple name) cannot run {@code pipeline}, in one line naming
   * the feature, the runner and what to do instead; empty if it can.
   */
  public static Optional<String> refusal(Pipeline pipeline, String runner) {
    if (!SPARK.contains(runner)) {
      return Optional.empty();
    }
    Features f = Features.of(pipeline);
    if (!f.unbounded) {
      return Optional.empty();
    }
    String instead =
        "; run it in batch (a file: input or kafka://...?stop=now) or use --runner=flink|direct";
    if (f.statefulStep != null) {
      return Optional.of(
          String.format(
              "stateful processing/timers (step %s) are not supported by %s in streaming%s",
              f.statefulStep, runner, instead));
    }
    if (f.latenessStep != null) {
      return Optional.of(
          String.format(
              "allowed lateness (step %s) is not supported by %s in streaming%s",
              f.latenessStep, runner, instead));
    }
    if (f.accumulatingStep != null) {
      return Optional.of(
          String.format(
              "accumulating panes (step %s) are not supported by %s in streaming%s",
              f.accumulatingStep, runner, instead));
    }
    return Optional.empty();
  }

  /** Whether {@code pipeline} reads an unbounded input (a stream), as the runner will see it. */
  public static boolean isStreaming(Pipeline pipeline) {
    return Features.of(pipeline).unbounded;
  }

  /** The name the user gave a step: without the primitive Beam expands it into. */
  static String stepName(TransformHierarchy.Node node) {
    return node.getFullName().replaceAll("/(ParMultiDo\\(.*\\)|Window\\.Assign)$", "");
  }

  /** The features of a pipeline that some runner lacks: the first step needing each. */
  static final class Features extends Pipeline.PipelineVisitor.Defaults {
    boolean unbounded;
    String statefulStep;
    String latenessStep;
    String accumulatingStep;

    static Features of(Pipeline pipeline) {
      Features f = new Features();
      pipeline.traverseTopologically(f);
      return f;
    }

    @Override
    public void visitPrimitiveTransform(TransformHierarchy.Node node) {
      PTransform<?, ?> transform = node.getTransform();
      DoFn<?, ?> fn = null;
      if (transform instanceof ParDo.SingleOutput) {
        fn = ((ParDo.SingleOutput<?, ?>) transform).getFn();
      } else if (transform instanceof ParDo.MultiOutput) {
        fn = ((ParDo.MultiOutput<?, ?>) transform).getFn();
      }
      if (fn != null && statefulStep == null) {
        DoFnSignature signature = DoFnSignatures.signatureForDoFn(fn);
        if (signature.usesState() || signature.usesTimers()) {
          statefulStep = stepName(node);
        }
      }
    }

    @Override
    public void visitValue(PValue value, TransformHierarchy.Node producer) {
      if (!(value instanceof PCollection)) {
        return;
      }
      PCollection<?> pc = (PCollection<?>) value;
      if (pc.isBounded() == PCollection.IsBounded.UNBOUNDED) {
        unbounded = true;
      }
      WindowingStrategy<?, ?> ws = pc.getWindowingStrategy();
      if (latenessStep == null && ws.getAllowedLateness().isLongerThan(Duration.ZERO)) {
        latenessStep = stepName(producer);
      }
      if (accumulatingStep == null
          && ws.getMode() == WindowingStrategy.AccumulationMode.ACCUMULATING_FIRED_PANES) {
        accumulatingStep = stepName(producer);
      }
    }
  }
}
