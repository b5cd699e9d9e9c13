package dev.sluice.launcher;

import dev.sluice.launcher.jobs.Job;
import java.beans.Introspector;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Prints a job's options (its own and the shared JobOptions) with their descriptions and defaults.
 */
public final class OptionsHelp {
  private OptionsHelp() {}

  static void print(Job<?> job, PrintStream out) {
    out.printf("%s: %s%n%n", job.name(), job.description());
    out.printf("Usage: ./sluice run %s [--option=value ...]%n%nOptions:%n", job.name());
    getters(job).stream()
        .sorted(Comparator.comparing(m -> m.getAnnotation(Validation.Required.class) == null))
        .forEach(m -> printOption(m, out));
    out.printf(
        "%nRunner:%n  --runner=direct|flink|spark  where the job runs (default direct)%n"
            + "  Runner flags pass through, e.g. --flinkMaster=[local]|host:port,"
            + " --sparkMaster=local[2]|spark://host:port, --parallelism=N.%n");
  }

  /**
   * The flags the help lists, sorted: {@code --name} of each getter of the job's own options and
   * the Sluice interfaces they extend (JobOptions), not Beam's own (runner, streaming, ...).
   */
  public static List<String> flags(Job<?> job) {
    return getters(job).stream().map(m -> "--" + nameOf(m)).collect(Collectors.toList());
  }

  // The job's own getters and those of the Sluice interfaces it extends (JobOptions), not
  // Beam's PipelineOptions (the runner's, listed apart), sorted by name.
  private static List<Method> getters(Job<?> job) {
    return Arrays.stream(job.optionsClass().getMethods())
        .filter(m -> m.getDeclaringClass().getName().startsWith("dev.sluice."))
        .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0)
        .filter(m -> !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
        .sorted(Comparator.comparing(Method::getName))
        .collect(Collectors.toList());
  }

  private static String nameOf(Method getter) {
    return Introspector.decapitalize(getter.getName().substring(3));
  }

  private static void printOption(Method getter, PrintStream out) {
    String name = nameOf(getter);
    Description description = getter.getAnnotation(Description.class);
    String type = getter.getReturnType().getSimpleName();
    out.printf("  --%s=<%s>%n", name, type);
    out.printf("      %s%n", description == null ? "" : description.value());
    String dflt = defaultOf(getter);
    if (getter.getAnnotation(Validation.Required.class) != null) {
      out.printf("      Required.%n");
    } else if (dflt != null) {
      out.printf("      Default: %s%n", dflt.isEmpty() ? "(empty)" : dflt);
    }
  }

  private static String defaultOf(Method getter) {
    if (getter.getAnnotation(Default.String.class) != null) {
      return getter.getAnnotation(Default.String.class).value();
    }
    if (getter.getAnnotation(Default.Integer.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Integer.class).value());
    }
    if (getter.getAnnotation(Default.Long.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Long.class).value());
    }
    if (getter.getAnnotation(Default.Double.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Double.class).value());
    }
    if (getter.getAnnotation(Default.Boolean.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Boolean.class).value());
    }
    if (getter.getAnnotation(Default.Enum.class) != null) {
      return getter.getAnnotation(Default.Enum.class).value();
    }
    return null;
  }
}
