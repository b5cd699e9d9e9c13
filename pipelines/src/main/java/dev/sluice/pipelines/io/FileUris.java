package dev.sluice.pipelines.io;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * File locations as users write them: {@code file:/abs/path}, {@code file:///abs/path}, {@code
 * file:relative/path} or a plain path, each possibly a glob ({@code *}, {@code ?}, {@code [..]}).
 */
public final class FileUris {
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");

  private FileUris() {}

  /** Whether {@code uri} names a file location (a {@code file:} URI or a plain path). */
  public static boolean isFile(String uri) {
    return uri.toLowerCase(Locale.ROOT).startsWith("file:") || !SCHEME.matcher(uri).matches();
  }

  /**
   * Checks a location that may be a file or a Kafka topic (an input, an output, dead letters): a
   * blank one or another scheme is refused with both forms named, not only the file form.
   *
   * @throws IllegalArgumentException naming the flag, the value and what is allowed
   */
  public static void checkFileOrKafka(String flag, String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: '%s' is empty; allowed: a file: path (or a plain path) or %shost:port/topic",
              flag, uri == null ? "" : uri, KafkaUri.SCHEME));
    }
    if (!KafkaUri.isKafka(uri) && !isFile(uri)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: unsupported location '%s'; allowed: file:/path (globs allowed for inputs), a"
                  + " plain path or %shost:port/topic",
              flag, uri, KafkaUri.SCHEME));
    }
  }

  /**
   * The local path {@code uri} names, as an absolute path string Beam's file systems accept.
   *
   * @param flag the flag the URI came from, named in errors
   */
  public static String toPath(String flag, String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(flag + ": a file: path is required");
    }
    if (!isFile(uri)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: unsupported location '%s'; allowed: file:/path (globs allowed) or a plain path",
              flag, uri));
    }
    String path = uri;
    if (uri.toLowerCase(Locale.ROOT).startsWith("file:")) {
      String rest = uri.substring("file:".length());
      if (rest.startsWith("//")) {
        try {
          // file:///abs or file://localhost/abs: let URI parsing handle the authority.
          path =
              new URI("file", null, rest.substring(2).replaceFirst("^[^/]*", ""), null).getPath();
        } catch (URISyntaxException e) {
          throw new IllegalArgumentException(flag + ": malformed file URI '" + uri + "'", e);
        }
      } else {
        path = rest;
      }
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException(flag + ": '" + uri + "' names no path");
    }
    return Paths.get(path).toAbsolutePath().normalize().toString();
  }

  /**
   * Checks before launch that the path or glob {@code uri} matches at least one file.
   *
   * @throws IllegalArgumentException naming the flag and the location when nothing matches
   */
  public static void requireMatch(String flag, String uri) {
    String path = toPath(flag, uri);
    List<MatchResult.Metadata> files;
    try {
      files = FileSystems.match(List.of(path), EmptyMatchTreatment.ALLOW).get(0).metadata();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          String.format("%s: cannot list '%s': %s", flag, uri, e.getMessage()), e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          String.format("%s: no file matches '%s' (%s)", flag, uri, path));
    }
  }
}
