package dev.sluice.launcher.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The templates in one folder ({@code templates/} at the root; the launcher passes its path). */
public final class Templates {
  /** The system property the launcher sets to the templates folder. */
  public static final String DIR_PROPERTY = "sluice.templates";

  private final Path dir;

  private Templates(Path dir) {
    this.dir = dir;
  }

  public static Templates in(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "no templates folder at " + dir + "; pass --templates=DIR or -D" + DIR_PROPERTY + "=DIR");
    }
    return new Templates(dir);
  }

  /** The folder of {@code -Dsluice.templates}, else {@code templates} under the working folder. */
  public static Templates fromSystemProperty() {
    return in(Path.of(System.getProperty(DIR_PROPERTY, "templates")));
  }

  public Path dir() {
    return dir;
  }

  /** The names of every {@code *.json} here, sorted. */
  public List<String> names() {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".json"))
          .map(f -> f.substring(0, f.length() - ".json".length()))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Every template, parsed and checked (the first bad file throws, naming itself). */
  public List<Template> all() {
    return names().stream()
        .map(n -> Template.read(dir.resolve(n + ".json")))
        .collect(Collectors.toList());
  }

  public Optional<Template> named(String name) {
    Path file = dir.resolve(name + ".json");
    if (!name.matches("[a-zA-Z0-9_.-]+") || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(Template.read(file));
  }
}
