package dev.sluice.pipelines.ledger;

import dev.sluice.transforms.quality.DeadLetter;
import dev.sluice.transforms.quality.RawRecord;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A command that arrived behind the watermark is a rejection of kind late, never dropped. */
@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class RejectLateCommandsTest {
  private static final String DEPOSIT =
      "{\"command_id\":\"c-7\",\"type\":\"deposit\",\"account\":\"acc-1\",\"amount\":12.5,"
          + "\"ts\":\"2026-01-01T00:05:00Z\"}";

  @Test
  void aLateCommandIsRejectedWithItsReasonAndOtherDeadLettersStay(TestPipeline p) {
    RawRecord late =
        RawRecord.late(
            "commands",
            "1@4",
            DEPOSIT,
            Instant.parse("2026-01-01T00:05:00Z"),
            Instant.parse("2026-01-01T00:20:00Z"));
    DeadLetter lateLetter = DeadLetter.of(late, RawRecord.LATE, late.unreadableReason());
    DeadLetter broken = DeadLetter.of(RawRecord.of("commands", "0@2", "{oops"), "not-json", "bad");

    PCollectionTuple out =
        p.apply(Create.of(lateLetter, broken).withCoder(DeadLetter.Coder.of()))
            .apply(
                ParDo.of(new LedgerCommands.RejectLateFn())
                    .withOutputTags(LedgerCommands.DEAD, TupleTagList.of(LedgerCommands.REJECTED)));

    PAssert.that(out.get(LedgerCommands.DEAD).setCoder(DeadLetter.Coder.of()))
        .containsInAnyOrder(broken);
    PAssert.that(
            out.get(LedgerCommands.REJECTED)
                .setCoder(Rejection.Coder.of())
                .apply(MapElements.into(TypeDescriptors.strings()).via(Rejection::toJson)))
        .containsInAnyOrder(
            "{\"command_id\":\"c-7\",\"type\":\"deposit\",\"account\":\"acc-1\","
                + "\"reason_kind\":\"late\",\"reason\":\"applied in event-time order, and later"
                + " commands were already: arrived behind the watermark: event time"
                + " 2026-01-01T00:05:00.000Z, watermark 2026-01-01T00:20:00.000Z (PT15M behind);"
                + " it is in no window's results\",\"ts\":\"2026-01-01T00:05:00Z\"}");
    p.run().waitUntilFinish();
  }
}
