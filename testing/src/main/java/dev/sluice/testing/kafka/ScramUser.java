package dev.sluice.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A SASL/SCRAM user of a secured {@link KafkaBroker}: a name and a password, and the Kafka client
 * settings that log in as it. {@link #toString()} never shows the password.
 *
 * <p>Names and passwords are limited to letters, digits, '.', '_' and '-': they are written into a
 * JAAS line and into Kafka's {@code --add-scram} format argument, where quotes, commas or brackets
 * would need escaping that neither documents well.
 */
public final class ScramUser {
  /** The one SASL mechanism the secured broker offers. */
  public static final String MECHANISM = "SCRAM-SHA-256";

  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final String name;
  private final String password;

  private ScramUser(String name, String password) {
    this.name = name;
    this.password = password;
  }

  /** A user; both parts must match {@code [A-Za-z0-9._-]{1,128}}. */
  public static ScramUser of(String name, String password) {
    if (!ALLOWED.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "SCRAM user name '" + name + "' is not allowed; use 1 to 128 of A-Z a-z 0-9 . _ -");
    }
    if (!ALLOWED.matcher(password).matches()) {
      // The password itself is not repeated: this message may end up in a log.
      throw new IllegalArgumentException(
          "the SCRAM password of user '"
              + name
              + "' is not allowed; use 1 to 128 of"
              + " A-Z a-z 0-9 . _ -");
    }
    return new ScramUser(name, password);
  }

  public String name() {
    return name;
  }

  public String password() {
    return password;
  }

  /** The JAAS line a Kafka client (or the broker, for itself) logs in with. */
  String jaasConfig() {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + name
        + "\" password=\""
        + password
        + "\";";
  }

  /** StorageTool's {@code --add-scram} value: creates this user when the storage is formatted. */
  String formatArgument() {
    return MECHANISM + "=[name=" + name + ",password=" + password + "]";
  }

  /** The client settings that log in as this user over SASL_PLAINTEXT. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("security.protocol", "SASL_PLAINTEXT");
    config.put("sasl.mechanism", MECHANISM);
    config.put("sasl.jaas.config", jaasConfig());
    return config;
  }

  /**
   * Writes {@link #clientConfig()} as a properties file, what a pipeline's {@code config=PATH}
   * reads; readable by its owner only where the file system knows permissions.
   */
  public Path writeClientProperties(Path file) {
    Properties properties = new Properties();
    clientConfig().forEach((k, v) -> properties.setProperty(k, v.toString()));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        properties.store(out, "Kafka client settings for SCRAM user " + name);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Kafka client properties file " + file, e);
    }
  }

  @Override
  public String toString() {
    return "ScramUser[" + name + ", password=[hidden]]";
  }
}
