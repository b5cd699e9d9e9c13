package dev.sluice.launcher.generate;

import dev.sluice.pipelines.logs.AccessLog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * {@code access-logs}: the input of {@code log-analytics}, web access-log lines as servers write
 * them, deterministically from {@link GeneratorSettings}.
 *
 * <ul>
 *   <li>Formats, mixed: about 35 % Common Log Format, 35 % Combined Log Format (both mostly ending
 *       with the latency in microseconds, Apache's {@code %D}) and 30 % JSON lines. Each service
 *       logs Common/Combined times in its own zone offset ({@code +0000}, {@code -0700}, {@code
 *       +0530}, {@code +0100}); JSON times are ISO-8601 or epoch milliseconds.
 *   <li>Services: {@code keys} of them ({@code api}, {@code shop}, {@code search}, ...), drawn with
 *       Zipf exponent {@code skew}; the service is the first segment of the path.
 *   <li>Clients: {@value #CLIENTS} addresses (IPv4 from the documentation ranges, every tenth an
 *       IPv6 one), Zipf 0.6: few enough that distinct counts stay exact ({@code TrafficStats}).
 *   <li>Statuses: mostly 2xx, some 3xx and 4xx, about 1 % 5xx; but in a random eighth of the
 *       10-minute blocks of a service (a burst) 35 % of its requests fail with a 5xx, so error-rate
 *       alerts fire.
 *   <li>Latencies: log-normal around a per-service median (5 to 60 ms), failures either fast or
 *       slow (timeouts); about one line in ten has no latency.
 *   <li>Event times from {@link EventTimeline} (out of order within {@code disorder}, a {@code
 *       lateShare} moved back by {@code lateBy}); Common/Combined times have whole seconds.
 *   <li>A {@code malformedShare} of lines broken in one of eleven ways the parser refuses: cut
 *       short, a bad date, a status out of range, a missing or blank field, a status of the wrong
 *       type, broken JSON, a bad request line, a negative or non-numeric latency, plain text.
 * </ul>
 *
 * <p>Each line's Kafka key is its service.
 */
public final class AccessLogGenerator implements EventGenerator {
  /** How many distinct client addresses the lines come from. */
  public static final int CLIENTS = 200;

  private static final String[] SERVICES = {
    "api", "shop", "search", "auth", "img", "cart", "checkout", "catalog", "users", "orders",
    "payments", "static", "docs", "blog", "admin", "status", "media", "mail", "cdn", "help"
  };
  private static final String[] RESOURCES = {
    "items", "orders", "list", "detail", "v1", "v2", "login", "thumb", "query", "export"
  };
  private static final String[] AGENTS = {
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "curl/8.5.0",
    "okhttp/4.12.0",
    "python-requests/2.31.0",
    "monitor \\\"probe\\\"/1.0"
  };
  private static final ZoneOffset[] ZONES = {
    ZoneOffset.UTC, ZoneOffset.ofHours(-7), ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.ofHours(1)
  };
  private static final DateTimeFormatter CLF_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
  private static final long BURST_BLOCK_MILLIS = 10 * 60_000L;

  @Override
  public String kind() {
    return "access-logs";
  }

  @Override
  public String description() {
    return "log-analytics input: Common/Combined Log Format (latency in us) and JSON access-log"
        + " lines; Zipf services, 200 clients, 5xx bursts";
  }

  @Override
  public GeneratedEvents generate(GeneratorSettings s) {
    SplittableRandom random = new SplittableRandom(s.seed());
    EventTimeline timeline = new EventTimeline(s);
    Zipf services = new Zipf(s.keys(), s.skew());
    Zipf clients = new Zipf(CLIENTS, 0.6);
    List<String> lines = new ArrayList<>(s.events());
    List<Long> times = new ArrayList<>(s.events());
    List<String> keys = new ArrayList<>(s.events());
    SortedSet<Integer> malformed = new TreeSet<>();
    SortedSet<Integer> late = new TreeSet<>();
    for (int i = 0; i < s.events(); i++) {
      long t = timeline.timeOf(i, random);
      if (timeline.wasLate()) {
        late.add(i + 1);
      }
      int serviceRank = services.sample(random);
      String service = serviceName(serviceRank);
      long block = s.span().toMillis() * i / Math.max(1, s.events()) / BURST_BLOCK_MILLIS;
      Request r = new Request();
      r.t = t;
      r.zone = ZONES[serviceRank % ZONES.length];
      r.service = service;
      r.client = clientAddress(clients.sample(random));
      r.method = method(random);
      r.path = path(random, service);
      r.status = status(random, isBurst(s.seed(), service, block));
      r.bytes = r.status == 204 || r.status == 304 ? 0 : 200 + random.nextInt(50_000);
      r.latencyMicros = random.nextInt(10) == 0 ? -1 : latencyMicros(random, serviceRank, r.status);
      int format = random.nextInt(100);
      String line;
      if (s.malformedShare() > 0 && random.nextDouble() < s.malformedShare()) {
        malformed.add(i + 1);
        line = malformed(random, r);
      } else if (format < 35) {
        line = common(r, false, random);
      } else if (format < 70) {
        line = common(r, true, random);
      } else {
        line = json(r, random);
      }
      lines.add(line);
      org.joda.time.Instant time = AccessLog.timestampOrNull(line);
      times.add(time == null ? null : time.getMillis());
      keys.add(service);
    }
    return new GeneratedEvents(
        List.copyOf(lines),
        Collections.unmodifiableList(times),
        List.copyOf(keys),
        Collections.unmodifiableSortedSet(malformed),
        Collections.unmodifiableSortedSet(late));
  }

  /** One request before it is written in some format. */
  private static final class Request {
    long t;
    ZoneOffset zone;
    String service;
    String client;
    String method;
    String path;
    int status;
    long bytes;
    long latencyMicros;
  }

  static String serviceName(int rank) {
    return rank < SERVICES.length ? SERVICES[rank] : "svc" + (rank + 1);
  }

  /** Address {@code k} of {@value #CLIENTS}: IPv4 documentation ranges, every tenth IPv6. */
  static String clientAddress(int k) {
    if (k % 10 == 9) {
      return "2001:db8::" + Integer.toHexString(k + 1);
    }
    return k < 100 ? "198.51.100." + (k + 1) : "203.0.113." + (k - 99);
  }

  /** Whether a service is in a 5xx burst during a 10-minute block: about one block in eight. */
  static boolean isBurst(long seed, String service, long block) {
    return new SplittableRandom(seed * 1_000_003L + service.hashCode() * 7_919L + block).nextInt(8)
        == 0;
  }

  private static String method(SplittableRandom random) {
    int r = random.nextInt(100);
    return r < 75 ? "GET" : r < 90 ? "POST" : r < 95 ? "PUT" : "DELETE";
  }

  private static String path(SplittableRandom random, String service) {
    StringBuilder path = new StringBuilder("/").append(service);
    path.append('/').append(RESOURCES[random.nextInt(RESOURCES.length)]);
    if (random.nextBoolean()) {
      path.append('/').append(random.nextInt(10_000));
    }
    if (random.nextInt(5) == 0) {
      path.append("?page=").append(1 + random.nextInt(9));
    }
    return path.toString();
  }

  private static int status(SplittableRandom random, boolean burst) {
    int r = random.nextInt(1000);
    if (r < (burst ? 350 : 10)) {
      return new int[] {500, 502, 503, 503, 504}[random.nextInt(5)];
    }
    r = random.nextInt(100);
    if (r < 7) {
      return new int[] {400, 401, 403, 404, 404, 429}[random.nextInt(6)];
    }
    if (r < 13) {
      return new int[] {301, 302, 304, 304}[random.nextInt(4)];
    }
    return new int[] {200, 200, 200, 200, 200, 200, 201, 204}[random.nextInt(8)];
  }

  /** Log-normal around the service's median; failures are fast (2 ms) or slow (about 2 s). */
  private static long latencyMicros(SplittableRandom random, int serviceRank, int status) {
    double median = 5 + (serviceRank * 11) % 56;
    if (status >= 500) {
      median = random.nextBoolean() ? 2 : 2_000;
    }
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    long micros = Math.round(median * Math.exp(0.7 * z) * 1000);
    return Math.max(100, Math.min(micros, 30_000_000));
  }

  private static String clfTime(Request r) {
    return CLF_TIME.format(Instant.ofEpochMilli(r.t).atOffset(r.zone));
  }

  /** Common ({@code %h %l %u %t "%r" %>s %b [%D]}) or Combined (with referer and agent). */
  private static String common(Request r, boolean combined, SplittableRandom random) {
    StringBuilder line =
        new StringBuilder()
            .append(r.client)
            .append(random.nextInt(4) == 0 ? " - alice " : " - - ")
            .append('[')
            .append(clfTime(r))
            .append("] \"")
            .append(r.method)
            .append(' ')
            .append(r.path)
            .append(random.nextInt(3) == 0 ? " HTTP/2.0" : " HTTP/1.1")
            .append("\" ")
            .append(r.status)
            .append(' ')
            .append(r.bytes == 0 ? "-" : String.valueOf(r.bytes));
    if (combined) {
      line.append(
              random.nextBoolean() ? " \"-\"" : " \"https://www.example.com/" + r.service + "\"")
          .append(" \"")
          .append(AGENTS[random.nextInt(AGENTS.length)])
          .append('"');
    }
    if (r.latencyMicros >= 0) {
      line.append(' ').append(r.latencyMicros);
    }
    return line.toString();
  }

  private static String json(Request r, SplittableRandom random) {
    StringBuilder line = new StringBuilder("{\"ts\":");
    if (random.nextInt(10) < 7) {
      line.append('"').append(Instant.ofEpochMilli(r.t)).append('"');
    } else {
      line.append(r.t);
    }
    line.append(",\"service\":\"")
        .append(r.service)
        .append('"')
        .append(",\"client\":\"")
        .append(r.client)
        .append('"')
        .append(",\"method\":\"")
        .append(r.method)
        .append('"')
        .append(",\"path\":\"")
        .append(r.path)
        .append('"')
        .append(",\"status\":")
        .append(r.status)
        .append(",\"bytes\":")
        .append(r.bytes);
    if (r.latencyMicros >= 0) {
      line.append(",\"latency_ms\":").append(r.latencyMicros / 1000.0);
    }
    return line.append('}').toString();
  }

  /** A line the parser refuses, in one of eleven ways. */
  private static String malformed(SplittableRandom random, Request r) {
    Request ok = r;
    switch (random.nextInt(11)) {
      case 0: // cut short inside the request line
        String full = common(ok, false, random);
        return full.substring(0, full.indexOf('"') + 4);
      case 1: // a date that is no date
        return common(ok, false, random)
            .replaceFirst("\\[[^\\]]*\\]", "[32/Foo/2026:25:61:00 +0000]");
      case 2: // not an HTTP status
        ok.status = 999;
        return common(ok, true, random);
      case 3: // no service
        return json(ok, random).replaceFirst(",\"service\":\"[^\"]*\"", "");
      case 4: // a status of the wrong type
        return json(ok, random).replaceFirst("\"status\":[0-9]+", "\"status\":\"OK\"");
      case 5: // broken JSON
        String json = json(ok, random);
        return json.substring(0, json.length() / 2);
      case 6: // a request line that is not METHOD /path PROTOCOL
        return common(ok, false, random).replaceFirst("\"[^\"]*\"", "\"GARBAGE\"");
      case 7: // a negative latency
        ok.latencyMicros = -12_500;
        return json(ok, random).replaceFirst("}$", ",\"latency_ms\":-12.5}");
      case 8: // a latency that is not a number
        ok.latencyMicros = -1;
        return common(ok, true, random) + " 12ms";
      case 9: // a blank client
        return json(ok, random).replaceFirst("\"client\":\"[^\"]*\"", "\"client\":\"\"");
      default: // not a log line at all
        return "upstream connection reset by peer while reading response header";
    }
  }
}
