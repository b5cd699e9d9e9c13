package dev.sluice.pipelines.logs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** The model on tiny inputs whose answers are worked out by hand from the job's description. */
class LogAnalyticsModelTest {
  /**
   * Four requests and a broken line, windows of 2 minutes every minute from 2026-01-01T00:00Z:
   *
   * <pre>
   * 00:00:30 api  client a  200  10 ms   (JSON)         windows [-1m, 1m) and [0m, 2m)
   * 00:01:10 api  client b  503  30 ms   (Common, 30000 us)   [0m, 2m) and [1m, 3m)
   * 00:01:20 api  client a  200  no latency (JSON)            [0m, 2m) and [1m, 3m)
   * 00:01:50 web  client c  404   5 ms   (Combined, 5000 us)  [0m, 2m) and [1m, 3m)
   * </pre>
   */
  static final List<String> INPUT =
      List.of(
          "{\"ts\":\"2026-01-01T00:00:30Z\",\"service\":\"api\",\"client\":\"a\",\"status\":200,"
              + "\"latency_ms\":10}",
          "b - - [01/Jan/2026:01:01:10 +0100] \"GET /api/orders HTTP/1.1\" 503 12 30000",
          "not a log line",
          "{\"ts\":\"2026-01-01T00:01:20Z\",\"service\":\"api\",\"client\":\"a\",\"status\":200}",
          "c - - [31/Dec/2025:19:01:50 -0500] \"GET /web/ HTTP/1.1\" 404 0 \"-\" \"curl\" 5000");

  static final String W_MINUS1 = window("2025-12-31T23:59:00Z", "2026-01-01T00:01:00Z");
  static final String W0 = window("2026-01-01T00:00:00Z", "2026-01-01T00:02:00Z");
  static final String W1 = window("2026-01-01T00:01:00Z", "2026-01-01T00:03:00Z");

  static String window(String start, String end) {
    return ",\"window_start\":\""
        + start
        + "\",\"window_end\":\""
        + end
        + "\",\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true}";
  }

  /** The hand-worked result lines, in the model's order (window, service, class, then all). */
  static final List<String> EXPECTED =
      List.of(
          // [-1m, 1m): only the first request
          "{\"service\":\"api\",\"status_class\":\"2xx\",\"requests\":1,\"latency_samples\":1,"
              + "\"p50_ms\":10,\"p95_ms\":10,\"p99_ms\":10,\"distinct_clients\":1"
              + W_MINUS1,
          "{\"service\":\"api\",\"status_class\":\"all\",\"requests\":1,\"errors\":0,"
              + "\"error_rate\":0.0,\"latency_samples\":1,\"p50_ms\":10,\"p95_ms\":10,"
              + "\"p99_ms\":10,\"distinct_clients\":1"
              + W_MINUS1,
          // [0m, 2m): all four
          "{\"service\":\"api\",\"status_class\":\"2xx\",\"requests\":2,\"latency_samples\":1,"
              + "\"p50_ms\":10,\"p95_ms\":10,\"p99_ms\":10,\"distinct_clients\":1"
              + W0,
          "{\"service\":\"api\",\"status_class\":\"5xx\",\"requests\":1,\"latency_samples\":1,"
              + "\"p50_ms\":30,\"p95_ms\":30,\"p99_ms\":30,\"distinct_clients\":1"
              + W0,
          // latencies 10, 30: p50 rank ceil(1.0) = 1 → 10; p95 rank ceil(1.9) = 2 → 30
          "{\"service\":\"api\",\"status_class\":\"all\",\"requests\":3,\"errors\":1,"
              + "\"error_rate\":0.3333,\"latency_samples\":2,\"p50_ms\":10,\"p95_ms\":30,"
              + "\"p99_ms\":30,\"distinct_clients\":2"
              + W0,
          "{\"service\":\"web\",\"status_class\":\"4xx\",\"requests\":1,\"latency_samples\":1,"
              + "\"p50_ms\":5,\"p95_ms\":5,\"p99_ms\":5,\"distinct_clients\":1"
              + W0,
          "{\"service\":\"web\",\"status_class\":\"all\",\"requests\":1,\"errors\":0,"
              + "\"error_rate\":0.0,\"latency_samples\":1,\"p50_ms\":5,\"p95_ms\":5,"
              + "\"p99_ms\":5,\"distinct_clients\":1"
              + W0,
          // [1m, 3m): all but the first; the 2xx request there has no latency
          "{\"service\":\"api\",\"status_class\":\"2xx\",\"requests\":1,\"latency_samples\":0,"
              + "\"distinct_clients\":1"
              + W1,
          "{\"service\":\"api\",\"status_class\":\"5xx\",\"requests\":1,\"latency_samples\":1,"
              + "\"p50_ms\":30,\"p95_ms\":30,\"p99_ms\":30,\"distinct_clients\":1"
              + W1,
          "{\"service\":\"api\",\"status_class\":\"all\",\"requests\":2,\"errors\":1,"
              + "\"error_rate\":0.5,\"latency_samples\":1,\"p50_ms\":30,\"p95_ms\":30,"
              + "\"p99_ms\":30,\"distinct_clients\":2"
              + W1,
          "{\"service\":\"web\",\"status_class\":\"4xx\",\"requests\":1,\"latency_samples\":1,"
              + "\"p50_ms\":5,\"p95_ms\":5,\"p99_ms\":5,\"distinct_clients\":1"
              + W1,
          "{\"service\":\"web\",\"status_class\":\"all\",\"requests\":1,\"errors\":0,"
              + "\"error_rate\":0.0,\"latency_samples\":1,\"p50_ms\":5,\"p95_ms\":5,"
              + "\"p99_ms\":5,\"distinct_clients\":1"
              + W1);

  /** With threshold 0.4 and at least 2 requests only api in [1m, 3m) alerts (1 of 2 failed). */
  static final List<String> EXPECTED_ALERTS =
      List.of(
          "{\"service\":\"api\",\"alert\":\"error-rate\",\"requests\":2,\"errors\":1,"
              + "\"error_rate\":0.5,\"threshold\":0.4,\"min_requests\":2"
              + W1);

  private static Map<String, List<String>> compute(
      List<String> input, double threshold, int minRequests) {
    return LogAnalyticsModel.compute(
        input, Duration.standardMinutes(2), Duration.standardMinutes(1), threshold, minRequests);
  }

  @Test
  void everyServiceAndStatusClassPerWindowAndOneAllLinePerService() {
    Map<String, List<String>> out = compute(INPUT, 0.4, 2);
    assertThat(out.get(""), contains(EXPECTED.toArray()));
    assertThat(out.get(".alerts"), contains(EXPECTED_ALERTS.toArray()));
  }

  @Test
  void tooFewRequestsDoNotAlertHoweverManyFail() {
    // api [0m, 2m) fails 1 in 3 and [1m, 3m) 1 in 2, but never with 4 requests
    assertThat(compute(INPUT, 0.01, 4).get(".alerts"), is(empty()));
  }

  @Test
  void anErrorRateExactlyAtTheThresholdAlerts() {
    // 20 requests in one 1-minute window, 1 of them a 500: rate 1/20 = 0.05, threshold 0.05
    List<String> input = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      input.add(
          String.format(
              "{\"ts\":%d,\"service\":\"s\",\"client\":\"c%d\",\"status\":%d}",
              i * 1000, i % 3, i == 7 ? 500 : 200));
    }
    Map<String, List<String>> out =
        LogAnalyticsModel.compute(
            input, Duration.standardMinutes(1), Duration.standardMinutes(1), 0.05, 20);
    String w = window("1970-01-01T00:00:00Z", "1970-01-01T00:01:00Z");
    assertThat(
        out.get(".alerts"),
        contains(
            "{\"service\":\"s\",\"alert\":\"error-rate\",\"requests\":20,\"errors\":1,"
                + "\"error_rate\":0.05,\"threshold\":0.05,\"min_requests\":20"
                + w));
    assertThat(
        out.get(""),
        contains(
            "{\"service\":\"s\",\"status_class\":\"2xx\",\"requests\":19,\"latency_samples\":0,"
                + "\"distinct_clients\":3"
                + w,
            "{\"service\":\"s\",\"status_class\":\"5xx\",\"requests\":1,\"latency_samples\":0,"
                + "\"distinct_clients\":1"
                + w,
            "{\"service\":\"s\",\"status_class\":\"all\",\"requests\":20,\"errors\":1,"
                + "\"error_rate\":0.05,\"latency_samples\":0,\"distinct_clients\":3"
                + w));
    assertThat(
        LogAnalyticsModel.compute(
                input, Duration.standardMinutes(1), Duration.standardMinutes(1), 0.0501, 20)
            .get(".alerts"),
        is(empty()));
  }
}
