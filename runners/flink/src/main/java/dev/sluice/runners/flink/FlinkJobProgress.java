package dev.sluice.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.ProgressProbe;
import dev.sluice.launcher.RecordCounts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.VarInt;

/**
 * The progress of a job on a Flink session cluster, from the cluster's REST API: FlinkRunner's
 * {@code run()} blocks until the job ends, so the launcher cannot ask the job's result meanwhile.
 * The job is found by its name (Beam's {@code --jobName}, unique per run); its Beam counters are in
 * the {@code __metricscontainers} accumulator (JSON of Beam's metric results; a counter's value is
 * a base64 var-int), which the TaskManagers report with their heartbeats. In batch a step's
 * counters arrive when its task ends, so "tasks finished" is printed too.
 */
public final class FlinkJobProgress implements ProgressProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String SUM_INT64 = "beam:metric:user:sum_int64:v1";

  private final String url;
  private final String jobName;

  FlinkJobProgress(String master, String jobName) {
    this.url = "http://" + master;
    this.jobName = jobName;
  }

  /** Registered in META-INF/services: a probe for FlinkRunner jobs sent to a session cluster. */
  public static final class Factory implements ProgressProbe.Factory {
    @Override
    public Optional<ProgressProbe> probeFor(PipelineOptions options) {
      if (!options.getRunner().getSimpleName().equals("FlinkRunner")) {
        return Optional.empty();
      }
      String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
      if (master == null || master.startsWith("[")) {
        return Optional.empty(); // [local], [auto]: no cluster to ask
      }
      String hostPort = master.replaceFirst("^https?://", "").replaceFirst("/+$", "");
      return Optional.of(new FlinkJobProgress(hostPort, options.getJobName()));
    }
  }

  @Override
  public Optional<String> status() {
    try {
      Optional<JsonNode> job = findJob();
      if (job.isEmpty()) {
        return Optional.of("waiting for the cluster to start the job");
      }
      String id = job.get().path("jid").asText();
      JsonNode tasks = job.get().path("tasks");
      RecordCounts counts = RecordCounts.ofCounters(counters(get("/jobs/" + id + "/accumulators")));
      String taskLine =
          String.format(
              "%d of %d tasks finished",
              tasks.path("finished").asInt(), tasks.path("total").asInt());
      return Optional.of(counts.known() ? counts.describe() + "; " + taskLine : taskLine);
    } catch (IOException e) {
      return Optional.of("cluster at " + url + " not answering (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private Optional<JsonNode> findJob() throws IOException, InterruptedException {
    JsonNode newest = null;
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      if (jobName.equals(job.path("name").asText())
          && (newest == null
              || job.path("start-time").asLong() > newest.path("start-time").asLong())) {
        newest = job;
      }
    }
    return Optional.ofNullable(newest);
  }

  /** The Beam counters in a job's {@code /accumulators} answer. */
  static List<RecordCounts.Counter> counters(JsonNode accumulators) throws IOException {
    List<RecordCounts.Counter> counters = new ArrayList<>();
    for (JsonNode accumulator : accumulators.path("user-task-accumulators")) {
      if (!accumulator.path("name").asText().equals("__metricscontainers")) {
        continue;
      }
      JsonNode results = JSON.readTree(accumulator.path("value").asText());
      for (JsonNode info : results.path("metrics").path("attempted")) {
        if (!info.path("urn").asText().equals(SUM_INT64)) {
          continue;
        }
        JsonNode labels = info.path("labels");
        byte[] payload = Base64.getDecoder().decode(info.path("payload").asText());
        counters.add(
            new RecordCounts.Counter(
                labels.path("NAMESPACE").asText(),
                labels.path("NAME").asText(),
                VarInt.decodeLong(new ByteArrayInputStream(payload))));
      }
    }
    return counters;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(3)).build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }
}
