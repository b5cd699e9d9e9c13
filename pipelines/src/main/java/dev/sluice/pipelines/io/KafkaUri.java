package dev.sluice.pipelines.io;

import dev.sluice.transforms.window.DurationSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A Kafka location as users write it: {@code
 * kafka://host:port[,host:port...]/topic?param=value&...}.
 *
 * <table>
 *   <caption>Query parameters</caption>
 *   <tr><th>parameter</th><th>meaning</th></tr>
 *   <tr><td>{@code group=NAME}</td><td>consumer group: a streaming read commits its offsets there,
 *       and a restart with the same group continues where it stopped</td></tr>
 *   <tr><td>{@code start=earliest|latest|TIME}</td><td>where to start (default {@code earliest});
 *       {@code earliest}/{@code latest} apply when the group has no committed offset, a time
 *       (ISO-8601 with offset, or epoch millis) always starts there</td></tr>
 *   <tr><td>{@code stop=now|OFFSET|P:OFFSET,...|TIME}</td><td>makes the read bounded (a batch
 *       backfill): up to the end offsets at launch, an offset (every partition; capped at its end),
 *       explicit offsets per partition, or the first record at or after a time</td></tr>
 *   <tr><td>{@code out-of-order=DURATION}</td><td>(streaming reads) how far out of order
 *       records may arrive and still be on time (default 1m)</td></tr>
 *   <tr><td>{@code idle=DURATION}</td><td>(streaming reads) after this long without records a
 *       partition no longer holds the watermark back (default 10s)</td></tr>
 *   <tr><td>{@code config=PATH}</td><td>a properties file of Kafka client settings (security
 *       included), read where the clients are created, so secrets never appear on the command
 *       line, in the pipeline graph or in logs</td></tr>
 *   <tr><td>{@code key=FIELD}</td><td>(sinks) the JSON field whose value keys each record</td></tr>
 *   <tr><td>{@code partitions=N}</td><td>(sinks) create the topic with N partitions if it does
 *       not exist</td></tr>
 *   <tr><td>{@code delivery=at-least-once|exactly-once}</td><td>(sinks) exactly-once writes use
 *       Kafka transactions (DirectRunner, FlinkRunner with checkpointing; see docs/kafka.md)</td></tr>
 *   <tr><td>{@code sink-id=ID}</td><td>(exactly-once sinks) the id under which the sink keeps its
 *       progress in Kafka; a resume from a savepoint passes the id of the run that took it
 *       (default: one of its own per run)</td></tr>
 *   <tr><td>any name with a dot, e.g. {@code fetch.min.bytes=1}</td><td>passed through to the
 *       Kafka consumer or producer; names that hold secrets are refused (use {@code
 *       config=})</td></tr>
 * </table>
 */
public final class KafkaUri implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The URI scheme, {@code kafka://}. */
  public static final String SCHEME = "kafka://";

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern HOST_PORT = Pattern.compile("[^,:/\\s]+:[0-9]{1,5}");
  private static final Set<String> PARAMETERS =
      Set.of(
          "group",
          "start",
          "stop",
          "config",
          "key",
          "partitions",
          "delivery",
          "out-of-order",
          "idle",
          "sink-id");
  private static final Pattern SINK_ID = Pattern.compile("[a-zA-Z0-9._-]{1,64}");

  /** The query parameters only a read uses, and those only a write uses. */
  private static final Set<String> READ_ONLY =
      Set.of("group", "start", "stop", "out-of-order", "idle");

  private static final Set<String> WRITE_ONLY = Set.of("key", "partitions", "delivery", "sink-id");

  /** Default bound on how far out of order records may arrive and still be on time. */
  public static final org.joda.time.Duration DEFAULT_OUT_OF_ORDER =
      org.joda.time.Duration.standardMinutes(1);

  /** Default time without records after which a partition counts as idle. */
  public static final org.joda.time.Duration DEFAULT_IDLE =
      org.joda.time.Duration.standardSeconds(10);

  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|secret|jaas|token|credential).*");
  private static final Pattern QUOTED_PASSWORD =
      Pattern.compile("(?i)password\\s*=\\s*\"([^\"]*)\"");

  /** Where a read starts. */
  public enum StartKind {
    EARLIEST,
    LATEST,
    TIME
  }

  /** Where a bounded read stops. */
  public enum StopKind {
    NONE,
    NOW,
    OFFSET,
    PARTITION_OFFSETS,
    TIME
  }

  private final String text;
  private final String bootstrapServers;
  private final String topic;
  private final @Nullable String group;
  private final StartKind startKind;
  private final @Nullable Long startTimeMillis;
  private final StopKind stopKind;
  private final long stopOffset;
  private final Map<Integer, Long> stopOffsets;
  private final long stopTimeMillis;
  private final @Nullable String configFile;
  private final @Nullable String keyField;
  private final int partitions;
  private final boolean exactlyOnce;
  private final @Nullable String sinkId;
  private final Map<String, String> clientProperties;
  private final org.joda.time.Duration maxOutOfOrderness;
  private final org.joda.time.Duration idleAfter;
  private final Set<String> given;

  private KafkaUri(Builder b) {
    this.text = b.text;
    this.bootstrapServers = b.bootstrapServers;
    this.topic = b.topic;
    this.group = b.group;
    this.startKind = b.startKind;
    this.startTimeMillis = b.startTimeMillis;
    this.stopKind = b.stopKind;
    this.stopOffset = b.stopOffset;
    this.stopOffsets = Collections.unmodifiableMap(new TreeMap<>(b.stopOffsets));
    this.stopTimeMillis = b.stopTimeMillis;
    this.configFile = b.configFile;
    this.keyField = b.keyField;
    this.partitions = b.partitions;
    this.exactlyOnce = b.exactlyOnce;
    this.sinkId = b.sinkId;
    this.clientProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.clientProperties));
    this.given = Set.copyOf(b.given);
    this.maxOutOfOrderness = b.maxOutOfOrderness;
    this.idleAfter = b.idleAfter;
  }

  /** Whether {@code uri} names a Kafka location. */
  public static boolean isKafka(@Nullable String uri) {
    return uri != null && uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /**
   * Parses and checks {@code uri}; nothing is contacted.
   *
   * @param flag the option the URI came from, named in every error
   * @throws IllegalArgumentException naming the flag, the part that is wrong and what is allowed
   */
  public static KafkaUri parse(String flag, String uri) {
    if (!isKafka(uri)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: '%s' is not a Kafka location; expected %shost:port/topic", flag, uri, SCHEME));
    }
    Builder b = new Builder();
    b.text = uri;
    String rest = uri.substring(SCHEME.length());
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException(
          String.format(
              "%s: '%s' needs a broker and a topic: %shost:port/topic", flag, uri, SCHEME));
    }
    b.bootstrapServers = rest.substring(0, slash);
    for (String server : b.bootstrapServers.split(",", -1)) {
      if (!HOST_PORT.matcher(server).matches()) {
        throw new IllegalArgumentException(
            String.format("%s: broker address '%s' in '%s' is not host:port", flag, server, uri));
      }
      int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException(
            String.format(
                "%s: broker address '%s' in '%s' has port %d; a port is 1 to 65535",
                flag, server, uri, port));
      }
    }
    b.topic = rest.substring(slash + 1);
    if (!TOPIC.matcher(b.topic).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: topic '%s' is not a legal Kafka topic name (letters, digits, '.', '_', '-';"
                  + " at most 249)",
              flag, b.topic));
    }
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            String.format("%s: query parameter '%s' in '%s' is not name=value", flag, pair, uri));
      }
      String name = decode(pair.substring(0, eq));
      String value = decode(pair.substring(eq + 1));
      b.set(flag, name, value);
    }
    if (b.sinkId != null && !b.exactlyOnce) {
      throw new IllegalArgumentException(
          String.format("%s: sink-id= applies only with delivery=exactly-once", flag));
    }
    if (b.startKind == StartKind.TIME
        && b.stopKind == StopKind.TIME
        && b.startTimeMillis > b.stopTimeMillis) {
      // Not an empty read: a range the wrong way round is a mistake.
      throw new IllegalArgumentException(
          String.format(
              "%s: start=%s is after stop=%s in '%s'; the start must be at or before the stop",
              flag,
              Instant.ofEpochMilli(b.startTimeMillis),
              Instant.ofEpochMilli(b.stopTimeMillis),
              uri));
    }
    return new KafkaUri(b);
  }

  /**
   * This location as an input: refuses a query parameter only a write uses ({@code partitions=}
   * ...), which would otherwise be ignored.
   *
   * @throws IllegalArgumentException naming the flag, the parameter and what an input takes
   */
  public KafkaUri forReading(String flag) {
    refuse(flag, WRITE_ONLY, "an output", "an input", READ_ONLY);
    return this;
  }

  /**
   * This location as an output: refuses a query parameter only a read uses ({@code stop=} ...),
   * which would otherwise be ignored.
   *
   * @throws IllegalArgumentException naming the flag, the parameter and what an output takes
   */
  public KafkaUri forWriting(String flag) {
    refuse(flag, READ_ONLY, "an input", "an output", WRITE_ONLY);
    return this;
  }

  private void refuse(String flag, Set<String> refused, String isFor, String here, Set<String> ok) {
    for (String name : new TreeSet<>(given)) {
      if (refused.contains(name)) {
        throw new IllegalArgumentException(
            String.format(
                "%s: %s= is for %s, not %s; %s takes %s, config= and Kafka client properties",
                flag,
                name,
                isFor,
                here,
                here,
                ok.stream().sorted().map(n -> n + "=").collect(Collectors.joining(", "))));
      }
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static final class Builder {
    String text;
    String bootstrapServers;
    String topic;
    @Nullable String group;
    StartKind startKind = StartKind.EARLIEST;
    @Nullable Long startTimeMillis;
    StopKind stopKind = StopKind.NONE;
    long stopOffset = -1;
    Map<Integer, Long> stopOffsets = new HashMap<>();
    long stopTimeMillis = -1;
    @Nullable String configFile;
    @Nullable String keyField;
    int partitions;
    boolean exactlyOnce;
    @Nullable String sinkId;
    Map<String, String> clientProperties = new LinkedHashMap<>();
    Set<String> given = new HashSet<>();
    org.joda.time.Duration maxOutOfOrderness = DEFAULT_OUT_OF_ORDER;
    org.joda.time.Duration idleAfter = DEFAULT_IDLE;

    void set(String flag, String name, String value) {
      given.add(name);
      if (value.isEmpty()) {
        throw new IllegalArgumentException(
            String.format("%s: query parameter '%s' has no value", flag, name));
      }
      switch (name) {
        case "group":
          group = value;
          break;
        case "start":
          setStart(flag, value);
          break;
        case "stop":
          setStop(flag, value);
          break;
        case "config":
          configFile = value;
          loadProperties(flag, value); // fails now, before launch, if unreadable
          break;
        case "key":
          keyField = value;
          break;
        case "out-of-order":
          maxOutOfOrderness = DurationSpec.parse(flag + " out-of-order", value);
          break;
        case "idle":
          idleAfter = DurationSpec.parse(flag + " idle", value);
          break;
        case "partitions":
          partitions = positiveInt(flag, name, value);
          break;
        case "delivery":
          if (value.equals("exactly-once")) {
            exactlyOnce = true;
          } else if (!value.equals("at-least-once")) {
            throw new IllegalArgumentException(
                String.format(
                    "%s: delivery=%s; allowed: at-least-once, exactly-once", flag, value));
          }
          break;
        case "sink-id":
          if (!SINK_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                String.format(
                    "%s: sink-id=%s; allowed: 1 to 64 letters, digits, '.', '_', '-'",
                    flag, value));
          }
          sinkId = value;
          break;
        default:
          if (!name.contains(".")) {
            throw new IllegalArgumentException(
                String.format(
                    "%s: unknown query parameter '%s'; allowed: %s, or a Kafka client property"
                        + " such as fetch.min.bytes",
                    flag, name, String.join(", ", new java.util.TreeSet<>(PARAMETERS))));
          }
          if (SECRET.matcher(name).matches()) {
            throw new IllegalArgumentException(
                String.format(
                    "%s: '%s' holds a secret and must not be on the command line; put it in a"
                        + " properties file and pass config=PATH",
                    flag, name));
          }
          clientProperties.put(name, value);
      }
    }

    private void setStart(String flag, String value) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "earliest":
          startKind = StartKind.EARLIEST;
          break;
        case "latest":
          startKind = StartKind.LATEST;
          break;
        default:
          startKind = StartKind.TIME;
          startTimeMillis = time(flag, "start", value, "earliest, latest");
      }
    }

    private void setStop(String flag, String value) {
      if (value.equalsIgnoreCase("now")) {
        stopKind = StopKind.NOW;
      } else if (value.matches("[0-9]+")) {
        stopKind = StopKind.OFFSET;
        stopOffset = Long.parseLong(value);
      } else if (value.matches("[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*")) {
        stopKind = StopKind.PARTITION_OFFSETS;
        for (String part : value.split(",")) {
          String[] po = part.split(":");
          if (stopOffsets.put(Integer.parseInt(po[0]), Long.parseLong(po[1])) != null) {
            throw new IllegalArgumentException(
                String.format("%s: stop names partition %s twice", flag, po[0]));
          }
        }
      } else {
        stopKind = StopKind.TIME;
        stopTimeMillis =
            time(flag, "stop", value, "now, an offset, partition:offset pairs (0:100,1:250)");
      }
    }

    private static long time(String flag, String name, String value, String alternatives) {
      try {
        return OffsetDateTime.parse(value).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        try {
          return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e2) {
          throw new IllegalArgumentException(
              String.format(
                  "%s: %s=%s is not allowed; allowed: %s, or a time (ISO-8601 with offset, e.g."
                      + " 2026-11-21T10:00:00Z)",
                  flag, name, value, alternatives));
        }
      }
    }

    private static int positiveInt(String flag, String name, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
      throw new IllegalArgumentException(
          String.format("%s: %s=%s must be a positive whole number", flag, name, value));
    }
  }

  /**
   * Reads a {@code config=} properties file.
   *
   * @throws IllegalArgumentException naming the flag if it cannot be read
   */
  static Map<String, String> loadProperties(String flag, String file) {
    Path path = Paths.get(file.startsWith("file:") ? file.substring("file:".length()) : file);
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(path)) {
      properties.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          String.format("%s: cannot read the Kafka client properties file '%s': %s", flag, file, e),
          e);
    }
    Map<String, String> map = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
    return map;
  }

  /**
   * The client properties of this location for a client created now: the broker address, the
   * pass-through properties, then the {@code config=} file's (which win). Call it only where the
   * client is made, so secrets stay out of the pipeline's graph.
   */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put("bootstrap.servers", bootstrapServers);
    config.putAll(fileProperties());
    return config;
  }

  /** The {@code config=} file's properties, read now; empty without one. */
  public Map<String, String> fileProperties() {
    if (configFile == null) {
      return Map.of();
    }
    try {
      return loadProperties("config", configFile);
    } catch (IllegalArgumentException e) {
      throw new UncheckedIOException(
          new IOException("the Kafka client properties file is unreadable: " + e.getMessage()));
    }
  }

  /**
   * {@code message} with every secret of the {@code config=} file replaced by {@code [hidden]}: the
   * value of each property whose name looks secret (password, jaas, token, ...) and the password in
   * it ({@code password="..."} of a JAAS line). For Kafka messages quoted in Sluice's own; Kafka
   * masks such values in its own logs.
   */
  public String redact(@Nullable String message) {
    if (message == null || configFile == null) {
      return message == null ? "(no message)" : message;
    }
    String redacted = message;
    for (Map.Entry<String, String> property : fileProperties().entrySet()) {
      if (!SECRET.matcher(property.getKey()).matches() || property.getValue().isEmpty()) {
        continue;
      }
      redacted = redacted.replace(property.getValue(), "[hidden]");
      java.util.regex.Matcher quoted = QUOTED_PASSWORD.matcher(property.getValue());
      while (quoted.find()) {
        if (!quoted.group(1).isEmpty()) {
          redacted = redacted.replace(quoted.group(1), "[hidden]");
        }
      }
    }
    return redacted;
  }

  /** The URI as given (it holds no secrets: those are refused or live in the config file). */
  public String text() {
    return text;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String topic() {
    return topic;
  }

  public @Nullable String group() {
    return group;
  }

  public StartKind startKind() {
    return startKind;
  }

  public @Nullable Long startTimeMillis() {
    return startTimeMillis;
  }

  /** Whether the read stops (a bounded read: a batch backfill of a range). */
  public boolean isBounded() {
    return stopKind != StopKind.NONE;
  }

  public StopKind stopKind() {
    return stopKind;
  }

  public long stopOffset() {
    return stopOffset;
  }

  public Map<Integer, Long> stopOffsets() {
    return stopOffsets;
  }

  public long stopTimeMillis() {
    return stopTimeMillis;
  }

  public @Nullable String configFile() {
    return configFile;
  }

  public @Nullable String keyField() {
    return keyField;
  }

  /** Partitions to create a missing sink topic with; 0: do not create it. */
  public int partitions() {
    return partitions;
  }

  /** How far out of order records may arrive and still be on time ({@code out-of-order=}). */
  public org.joda.time.Duration maxOutOfOrderness() {
    return maxOutOfOrderness;
  }

  /** Time without records after which a partition counts as idle ({@code idle=}). */
  public org.joda.time.Duration idleAfter() {
    return idleAfter;
  }

  public boolean exactlyOnce() {
    return exactlyOnce;
  }

  /** The exactly-once sink's id ({@code sink-id=}), or null for one of the run's own. */
  public @Nullable String sinkId() {
    return sinkId;
  }

  /** Kafka client properties given on the URI (never secrets). */
  public Map<String, String> clientProperties() {
    return clientProperties;
  }

  /** The same location with {@code suffix} appended to the topic name (dead letters). */
  public String withTopicSuffix(String suffix) {
    int q = text.indexOf('?');
    String base = q < 0 ? text : text.substring(0, q);
    String query = q < 0 ? "" : text.substring(q);
    return base + suffix + query;
  }

  @Override
  public String toString() {
    return text;
  }
}
