package dev.sluice.launcher.generate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The input of {@code iot-sensors}: JSON lines {@code {"ts", "device", "sensor", "value"}}.
 *
 * <ul>
 *   <li>{@code keys} devices {@code dev-001}, {@code dev-002}, ...; each reading's device is drawn
 *       with Zipf exponent {@code skew}, so a few devices report often and many rarely;
 *   <li>each device has one sensor (temperature, humidity, pressure or vibration, in turn), a
 *       baseline drawn around the sensor's usual level and Gaussian noise; values are rounded to
 *       the sensor's resolution;
 *   <li>about 0.5 % of readings are spikes, 8 to 16 noise deviations off the baseline (what the
 *       job's anomaly alerts look for);
 *   <li>about 30 % of devices fall silent once, for a quarter to two fifths of the span; a reading
 *       drawn for a silent device is drawn again (the other devices keep their relative rates)
 *       (what the silent alerts look for);
 *   <li>event times come from {@link EventTimeline} (disorder, late share); a {@code
 *       malformedShare} of records is broken in one of twelve ways the parser refuses.
 * </ul>
 *
 * <p>Each record's Kafka key is its device (null where a malformed record has none). The same
 * settings always give the same records.
 */
public final class SensorReadingsGenerator implements EventGenerator {
  /** Share of readings that are spikes. */
  static final double SPIKE_SHARE = 0.005;

  /** How many times a reading's device is drawn again while the one drawn is silent. */
  private static final int MAX_DRAWS = 20;

  /** Share of devices that fall silent once. */
  static final double SILENT_DEVICE_SHARE = 0.3;

  private enum Sensor {
    TEMPERATURE("temperature", 21.0, 4.0, 0.3, 2),
    HUMIDITY("humidity", 45.0, 10.0, 1.5, 1),
    PRESSURE("pressure", 1013.0, 8.0, 0.8, 1),
    VIBRATION("vibration", 0.4, 0.2, 0.03, 3);

    final String name;
    final double level;
    final double spread;
    final double noise;
    final int decimals;

    Sensor(String name, double level, double spread, double noise, int decimals) {
      this.name = name;
      this.level = level;
      this.spread = spread;
      this.noise = noise;
      this.decimals = decimals;
    }
  }

  /** One device's behaviour. */
  private static final class Device {
    final String id;
    final Sensor sensor;
    final double baseline;
    final double noise;
    final long silentFrom;
    final long silentUntil;

    Device(
        String id,
        Sensor sensor,
        double baseline,
        double noise,
        long silentFrom,
        long silentUntil) {
      this.id = id;
      this.sensor = sensor;
      this.baseline = baseline;
      this.noise = noise;
      this.silentFrom = silentFrom;
      this.silentUntil = silentUntil;
    }

    boolean silentAt(long t) {
      return t >= silentFrom && t < silentUntil;
    }
  }

  @Override
  public String kind() {
    return "sensor-readings";
  }

  @Override
  public String description() {
    return "iot-sensors input: {\"ts\", \"device\", \"sensor\", \"value\"}, Zipf rates,"
        + " spikes, silent spells";
  }

  @Override
  public GeneratedEvents generate(GeneratorSettings s) {
    SplittableRandom random = new SplittableRandom(s.seed());
    Device[] devices = devices(s, random);
    Zipf zipf = new Zipf(devices.length, s.skew());
    EventTimeline timeline = new EventTimeline(s);
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
      int d = zipf.sample(random);
      for (int draws = 1; draws < MAX_DRAWS && devices[d].silentAt(t); draws++) {
        d = zipf.sample(random);
      }
      for (int tries = 0; tries < devices.length && devices[d].silentAt(t); tries++) {
        d = (d + 1) % devices.length;
      }
      Device device = devices[d];
      double value = device.baseline + device.noise * random.nextGaussian();
      if (random.nextDouble() < SPIKE_SHARE) {
        double size = (8 + 8 * random.nextDouble()) * device.noise;
        value = device.baseline + (random.nextBoolean() ? size : -size);
      }
      String ts = Instant.ofEpochMilli(t).toString();
      String formatted = String.format(Locale.ROOT, "%." + device.sensor.decimals + "f", value);
      if (s.malformedShare() > 0 && random.nextDouble() < s.malformedShare()) {
        malformed.add(i + 1);
        Broken broken = broken(random.nextInt(12), ts, device, formatted);
        lines.add(broken.line);
        times.add(broken.hasTime ? t : null);
        keys.add(broken.hasDevice ? device.id : null);
      } else {
        lines.add(line(ts, json(device.id), json(device.sensor.name), formatted));
        times.add(t);
        keys.add(device.id);
      }
    }
    return new GeneratedEvents(
        List.copyOf(lines),
        Collections.unmodifiableList(times),
        Collections.unmodifiableList(keys),
        Collections.unmodifiableSortedSet(malformed),
        Collections.unmodifiableSortedSet(late));
  }

  private static Device[] devices(GeneratorSettings s, SplittableRandom random) {
    Sensor[] sensors = Sensor.values();
    long start = s.start().toEpochMilli();
    long span = s.span().toMillis();
    Device[] devices = new Device[s.keys()];
    for (int d = 0; d < devices.length; d++) {
      Sensor sensor = sensors[d % sensors.length];
      double baseline = sensor.level + sensor.spread * (2 * random.nextDouble() - 1);
      double noise = sensor.noise * (0.5 + random.nextDouble());
      long silentFrom = Long.MAX_VALUE;
      long silentUntil = Long.MAX_VALUE;
      if (random.nextDouble() < SILENT_DEVICE_SHARE) {
        silentFrom = start + (long) (span * 0.8 * random.nextDouble());
        silentUntil = silentFrom + (long) (span * (0.25 + 0.15 * random.nextDouble()));
      }
      devices[d] =
          new Device(
              String.format(Locale.ROOT, "dev-%03d", d + 1),
              sensor,
              baseline,
              noise,
              silentFrom,
              silentUntil);
    }
    return devices;
  }

  private record Broken(String line, boolean hasTime, boolean hasDevice) {}

  /** A record the parser refuses, of kind {@code kind} (0 to 11). */
  private static Broken broken(int kind, String ts, Device device, String value) {
    String id = json(device.id);
    String sensor = json(device.sensor.name);
    switch (kind) {
      case 0: // not-json: cut short
        String good = line(ts, id, sensor, value);
        return new Broken(good.substring(0, good.length() / 2), false, true);
      case 1: // not-object
        return new Broken("[" + json(ts) + "," + id + "," + value + "]", false, true);
      case 2: // missing-field ts
        return new Broken(
            "{\"device\":" + id + ",\"sensor\":" + sensor + ",\"value\":" + value + "}",
            false,
            true);
      case 3: // bad-timestamp
        return new Broken(line("yesterday noon", id, sensor, value), false, true);
      case 4: // missing-field device
        return new Broken(
            "{\"ts\":" + json(ts) + ",\"sensor\":" + sensor + ",\"value\":" + value + "}",
            true,
            false);
      case 5: // bad-device: blank
        return new Broken(line(ts, "\"  \"", sensor, value), true, false);
      case 6: // wrong-type device
        return new Broken(line(ts, "42", sensor, value), true, false);
      case 7: // wrong-type value: a string
        return new Broken(line(ts, id, sensor, json(value)), true, true);
      case 8: // not-finite: NaN
        return new Broken(line(ts, id, sensor, "NaN"), true, true);
      case 9: // not-finite: beyond a double
        return new Broken(line(ts, id, sensor, "1e999"), true, true);
      case 10: // out-of-range
        return new Broken(line(ts, id, sensor, "-3.5e14"), true, true);
      default: // missing-field value
        return new Broken(
            "{\"ts\":" + json(ts) + ",\"device\":" + id + ",\"sensor\":" + sensor + "}",
            true,
            true);
    }
  }

  private static String line(String ts, String device, String sensor, String value) {
    return "{\"ts\":"
        + json(ts)
        + ",\"device\":"
        + device
        + ",\"sensor\":"
        + sensor
        + ",\"value\":"
        + value
        + "}";
  }

  /** A JSON string literal (the generator's strings need no escaping beyond quotes). */
  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
