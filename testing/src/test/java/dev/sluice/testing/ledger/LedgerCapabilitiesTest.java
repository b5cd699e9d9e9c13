package dev.sluice.testing.ledger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.launcher.Capabilities;
import dev.sluice.launcher.postgres.PostgresServer;
import dev.sluice.pipelines.ledger.LedgerCommands;
import dev.sluice.pipelines.ledger.LedgerProjection;
import dev.sluice.testing.kafka.KafkaBroker;
import dev.sluice.testing.kafka.KafkaBrokerExtension;
import dev.sluice.testing.postgres.PostgresExtension;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger over a live topic needs what Spark streaming lacks: the command side keeps state; the
 * projection's JdbcIO writes batch rows with {@code GroupIntoBatches} (state and timers) when
 * unbounded, and its history fires accumulating panes with allowed lateness. Both are refused on
 * Spark in streaming before launch, and allowed in batch and on Flink. Built, not run.
 */
@ExtendWith({KafkaBrokerExtension.class, PostgresExtension.class})
class LedgerCapabilitiesTest {
  @Test
  void theCommandSideOverAStreamIsRefusedOnSparkOnly(KafkaBroker broker) {
    broker.createTopic("caps-commands", 1);
    broker.createTopic("caps-events", 1);
    broker.createTopic("caps-rejects", 1);
    broker.createTopic("caps-commands-dead", 1);
    Pipeline stream = commands(broker, "");
    assertThat(
        Capabilities.refusal(stream, "SparkRunner").orElseThrow(),
        containsString(
            "stateful processing/timers (step ApplyCommands/Decide) are not supported by"
                + " SparkRunner in streaming"));
    assertThat(Capabilities.refusal(stream, "FlinkRunner"), equalTo(Optional.empty()));
    assertThat(
        Capabilities.refusal(commands(broker, "?stop=now"), "FlinkRunner"),
        equalTo(Optional.empty()));
    assertThat(
        Capabilities.refusal(commands(broker, "?stop=now"), "SparkRunner"),
        equalTo(Optional.empty()));
  }

  @Test
  void theProjectionOverAStreamIsRefusedOnSparkOnly(KafkaBroker broker, PostgresServer db) {
    broker.createTopic("caps-log", 1);
    broker.createTopic("caps-log-dead", 1);
    Pipeline stream = projection(broker, db, "");
    assertThat(
        Capabilities.refusal(stream, "SparkRunner").orElseThrow(),
        containsString(
            "stateful processing/timers (step UpsertBalances/GroupIntoBatches/"
                + "ParDo(GroupIntoBatches)) are not supported by SparkRunner in streaming"));
    assertThat(Capabilities.refusal(stream, "FlinkRunner"), equalTo(Optional.empty()));
    assertThat(
        Capabilities.refusal(projection(broker, db, "?stop=now"), "SparkRunner"),
        equalTo(Optional.empty()));
  }

  private Pipeline commands(KafkaBroker broker, String query) {
    return LedgerCommands.build(
        PipelineOptionsFactory.fromArgs(
                "--input=" + broker.uri("caps-commands") + query,
                "--output=" + broker.uri("caps-events"),
                // Kafka, not files: a live stream to files is refused on Flink for its own reason.
                "--rejects=" + broker.uri("caps-rejects"),
                "--deadLetters=" + broker.uri("caps-commands-dead"))
            .as(LedgerCommands.Options.class));
  }

  private Pipeline projection(KafkaBroker broker, PostgresServer db, String query) {
    return LedgerProjection.build(
        PipelineOptionsFactory.fromArgs(
                "--input=" + broker.uri("caps-log") + query,
                "--output=" + db.jdbcUrl(),
                "--deadLetters=" + broker.uri("caps-log-dead"))
            .as(LedgerProjection.Options.class));
  }
}
