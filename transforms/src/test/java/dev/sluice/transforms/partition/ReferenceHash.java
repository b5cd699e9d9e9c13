package dev.sluice.transforms.partition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;

/**
 * The partition formula computed independently of the code under test: Guava's MurmurHash3 x64_128
 * (a separate implementation from DataSketches'), over encodings built by hand.
 */
final class ReferenceHash {
  /** The documented seed, written out again rather than read from {@link StableHash}. */
  static final int SEED = 0x736C7569;

  private ReferenceHash() {}

  static long h1(byte[] bytes) {
    return Hashing.murmur3_128(SEED).hashBytes(bytes).asLong();
  }

  static int partition(byte[] bytes, int k) {
    return (int) Math.floorMod(h1(bytes), (long) k);
  }

  /** StringUtf8Coder's outer-context encoding: the UTF-8 bytes, nothing else. */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** BigEndianLongCoder's encoding: 8 bytes, big-endian. */
  static byte[] bigEndian(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }
}
