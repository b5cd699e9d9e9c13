package dev.sluice.pipelines.iot;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.sluice.transforms.partition.StableHash;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** The model on examples small enough to work out by hand from the definitions. */
class SensorMonitoringModelTest {
  private static String reading(String time, String device, double value) {
    return String.format(
        "{\"ts\":\"2026-01-01T%sZ\",\"device\":\"%s\",\"sensor\":\"t\",\"value\":%s}",
        time, device, value);
  }

  /** A time of day on 2026-01-01, or on 2025-12-31 for 23:xx. */
  private static String at(String time) {
    return (time.startsWith("23") ? "2025-12-31T" : "2026-01-01T") + time + "Z";
  }

  private static String stats(
      String device, long count, String min, String mean, String max, String start, String end) {
    return String.format(
        "{\"device\":\"%s\",\"partition\":0,\"count\":%d,\"min\":%s,\"mean\":%s,\"max\":%s,"
            + "\"window_start\":\"%s\",\"window_end\":\"%s\",\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true}",
        device, count, min, mean, max, at(start), at(end));
  }

  private static String silent(
      String device, String lastSeen, long previousCount, String start, String end) {
    return String.format(
        "{\"kind\":\"silent\",\"device\":\"%s\",\"partition\":0,\"last_seen\":\"%s\","
            + "\"previous_count\":%d,\"window_start\":\"%s\",\"window_end\":\"%s\","
            + "\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true}",
        device, at(lastSeen), previousCount, at(start), at(end));
  }

  /**
   * Windows of 2 minutes every minute; periods [00:00, 00:01), [00:01, 00:02). Device a reads 10,
   * 12, 14 in the first minute, then 30 at 00:01:10; device b reads 5 at 00:00:20.
   */
  @Test
  void statsPerWindowAnAnomalyAndTwoSilences() {
    Map<String, List<String>> out =
        SensorMonitoringModel.compute(
            List.of(
                reading("00:00:10", "a", 10),
                reading("00:00:30", "a", 12),
                "oops, not a reading",
                reading("00:00:20", "b", 5),
                reading("00:00:50", "a", 14),
                reading("00:01:10", "a", 30)),
            Duration.standardMinutes(2),
            Duration.standardMinutes(1),
            1,
            2.0,
            3);
    assertThat(
        out.get(""),
        contains(
            stats("a", 3, "10.0", "12.0", "14.0", "23:59:00", "00:01:00"),
            stats("b", 1, "5.0", "5.0", "5.0", "23:59:00", "00:01:00"),
            stats("a", 4, "10.0", "16.5", "30.0", "00:00:00", "00:02:00"), // 66 / 4
            stats("b", 1, "5.0", "5.0", "5.0", "00:00:00", "00:02:00"),
            stats("a", 1, "30.0", "30.0", "30.0", "00:01:00", "00:03:00")));
    // Period [00:01, 00:02) of a holds 30; its baseline, the window [23:59, 00:01) that ends where
    // the period starts, holds 10, 12, 14: mean 12, sample sd sqrt(((10-12)^2 + 0 + 2^2) / 2) = 2;
    // z = |30 - 12| / 2 = 9 > 2. b's last window with readings is [00:00, 00:02): silent in
    // [00:01, 00:03); a's is [00:01, 00:03): silent in [00:02, 00:04).
    assertThat(
        out.get(".alerts"),
        contains(
            "{\"kind\":\"anomaly\",\"device\":\"a\",\"partition\":0,\"reading\":30.0,"
                + "\"z_score\":9.0,\"threshold\":2.0,\"count\":1,\"min\":30.0,\"mean\":30.0,"
                + "\"max\":30.0,\"baseline_start\":\"2025-12-31T23:59:00Z\","
                + "\"baseline_end\":\"2026-01-01T00:01:00Z\",\"baseline_count\":3,"
                + "\"baseline_mean\":12.0,\"baseline_stddev\":2.0,"
                + "\"window_start\":\"2026-01-01T00:01:00Z\","
                + "\"window_end\":\"2026-01-01T00:02:00Z\",\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true}",
            silent("b", "00:00:20", 1, "00:01:00", "00:03:00"),
            silent("a", "00:01:10", 1, "00:02:00", "00:04:00")));
  }

  /**
   * Windows of 3 minutes every 2 (starting at even minutes, ending at odd ones), so the periods are
   * [23:59, 00:01), [00:01, 00:03), [00:03, 00:05): readings 1 at 00:00:30, 3 at 00:01:30, 5 at
   * 00:02:30, 100 at 00:04:30.
   */
  @Test
  void periodsFollowTheWindowEndsWhenTheSizeIsNoMultipleOfThePeriod() {
    Map<String, List<String>> out =
        SensorMonitoringModel.compute(
            List.of(
                reading("00:00:30", "a", 1),
                reading("00:01:30", "a", 3),
                reading("00:02:30", "a", 5),
                reading("00:04:30", "a", 100)),
            Duration.standardMinutes(3),
            Duration.standardMinutes(2),
            1,
            3.0,
            2);
    assertThat(
        out.get(""),
        contains(
            stats("a", 1, "1.0", "1.0", "1.0", "23:58:00", "00:01:00"),
            stats("a", 3, "1.0", "3.0", "5.0", "00:00:00", "00:03:00"),
            stats("a", 2, "5.0", "52.5", "100.0", "00:02:00", "00:05:00"),
            stats("a", 1, "100.0", "100.0", "100.0", "00:04:00", "00:07:00")));
    // Period [00:01, 00:03) (3 and 5): baseline [23:58, 00:01) has 1 reading < 2, no judgement.
    // Period [00:03, 00:05) (100): baseline [00:00, 00:03) holds 1, 3, 5: mean 3, sd 2, z = 48.5.
    assertThat(
        out.get(".alerts"),
        contains(
            "{\"kind\":\"anomaly\",\"device\":\"a\",\"partition\":0,\"reading\":100.0,"
                + "\"z_score\":48.5,\"threshold\":3.0,\"count\":1,\"min\":100.0,\"mean\":100.0,"
                + "\"max\":100.0,\"baseline_start\":\"2026-01-01T00:00:00Z\","
                + "\"baseline_end\":\"2026-01-01T00:03:00Z\",\"baseline_count\":3,"
                + "\"baseline_mean\":3.0,\"baseline_stddev\":2.0,"
                + "\"window_start\":\"2026-01-01T00:03:00Z\","
                + "\"window_end\":\"2026-01-01T00:05:00Z\",\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true}",
            silent("a", "00:04:30", 1, "00:06:00", "00:09:00")));
  }

  @Test
  void aGapShorterThanAWindowIsNoSilence() {
    // Windows of 2 minutes: readings 1m50s apart leave no window empty between them.
    Map<String, List<String>> out =
        SensorMonitoringModel.compute(
            List.of(reading("00:00:05", "a", 1), reading("00:01:55", "a", 1)),
            Duration.standardMinutes(2),
            Duration.standardMinutes(1),
            1,
            2.0,
            2);
    assertThat(out.get(".alerts"), contains(silent("a", "00:01:55", 1, "00:02:00", "00:04:00")));
  }

  @Test
  void thePartitionIsTheStableHashOfTheDevice() {
    List<String> out =
        SensorMonitoringModel.compute(
                List.of(reading("00:00:05", "dev-042", 1)),
                Duration.standardMinutes(1),
                Duration.standardMinutes(1),
                8,
                2.0,
                2)
            .get("");
    int partition = StableHash.partitionOf("dev-042", StringUtf8Coder.of(), 8);
    assertThat(out.get(0).contains("\"partition\":" + partition + ","), is(true));
  }
}
