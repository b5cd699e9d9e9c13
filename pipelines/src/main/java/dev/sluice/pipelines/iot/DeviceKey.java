package dev.sluice.pipelines.iot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * What the job groups by: a device, with the hash partition its id falls in ({@code
 * HashPartition}'s stable formula, so the partition is a function of the device and every runner
 * and the model agree on it).
 */
@DefaultCoder(DeviceKey.Coder.class)
public final class DeviceKey implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String device;
  private final int partition;

  public DeviceKey(String device, int partition) {
    this.device = Objects.requireNonNull(device, "device");
    this.partition = partition;
  }

  public String device() {
    return device;
  }

  public int partition() {
    return partition;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceKey
        && device.equals(((DeviceKey) o).device)
        && partition == ((DeviceKey) o).partition;
  }

  @Override
  public int hashCode() {
    return Objects.hash(device, partition);
  }

  @Override
  public String toString() {
    return device + "@" + partition;
  }

  /** Deterministic coder, fit for a key: the device id, then the partition. */
  public static final class Coder extends AtomicCoder<DeviceKey> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(DeviceKey.class), INSTANCE);
    }

    @Override
    public void encode(DeviceKey key, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(key.device, out);
      VarIntCoder.of().encode(key.partition, out);
    }

    @Override
    public DeviceKey decode(InputStream in) throws IOException {
      return new DeviceKey(StringUtf8Coder.of().decode(in), VarIntCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
