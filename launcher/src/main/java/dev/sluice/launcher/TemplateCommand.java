package dev.sluice.launcher;

import dev.sluice.launcher.template.Template;
import dev.sluice.launcher.template.Template.Mode;
import dev.sluice.launcher.template.Template.Parameter;
import dev.sluice.launcher.template.TemplateParameters;
import dev.sluice.launcher.template.Templates;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code ./sluice template list | describe NAME | run NAME --param k=v ... --mode=batch|stream
 * [--runner=...] [runner flags]}: a template's parameters are checked, turned into the job's flags,
 * and the job runs through the same code as {@code ./sluice run}.
 */
final class TemplateCommand {
  private TemplateCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    Templates templates = templatesFrom(rest);
    if (rest.isEmpty()) {
      throw new Sluice.UsageException(
          "template needs a command: list, describe NAME, run NAME --param k=v ..."
              + " --mode=batch|stream");
    }
    String command = rest.remove(0);
    switch (command) {
      case "list":
        for (Template t : wrap(templates::all)) {
          out.printf(
              "%-30s %-15s %-13s %s%n",
              t.name(),
              t.job(),
              t.modes().stream().map(Mode::text).collect(Collectors.joining(",")),
              t.description());
        }
        return Sluice.OK;
      case "describe":
        if (rest.size() != 1) {
          throw new Sluice.UsageException(
              "template describe needs one template name; ./sluice template list");
        }
        describe(named(templates, rest.get(0)), out);
        return Sluice.OK;
      case "run":
        return runTemplate(templates, rest, out, err);
      default:
        throw new Sluice.UsageException(
            "template: unknown command '" + command + "'; commands: list, describe NAME, run NAME");
    }
  }

  /** Prints what a template runs, its modes and every parameter with type, default and help. */
  static void describe(Template t, PrintStream out) {
    out.printf("%s: %s%n", t.name(), t.description());
    out.printf("Job: %s (./sluice run %s --help)%n", t.job(), t.job());
    out.printf("Modes:%n");
    for (Mode m : t.modes()) {
      out.printf("  %-6s --input=%s%n", m.text(), t.inputFor(m));
    }
    out.printf("Parameters (--param NAME=VALUE):%n");
    for (Parameter p : t.parameters().values()) {
      out.printf(
          "  %s <%s>%s%n",
          p.name(),
          p.type().text(),
          p.modes().isEmpty()
              ? ""
              : "  (mode "
                  + p.modes().stream().map(Mode::text).collect(Collectors.joining(", "))
                  + " only)");
      out.printf("      %s%n", p.help());
      if (p.required()) {
        out.printf("      Required.%n");
      } else {
        out.printf(
            "      Default: %s%n",
            p.defaultValue().map(d -> d.isEmpty() ? "(empty)" : d).orElse("(none)"));
      }
      if (!p.allowed().isEmpty()) {
        out.printf("      Allowed: %s%n", String.join(", ", p.allowed()));
      }
      p.pattern().ifPresent(r -> out.printf("      Pattern: %s%n", r.pattern()));
      p.flag().ifPresent(f -> out.printf("      Sets: --%s%n", f));
    }
    String modes = t.modes().stream().map(Mode::text).collect(Collectors.joining("|"));
    out.printf(
        "%nUsage: ./sluice template run %s --mode=%s --param NAME=VALUE ..."
            + " [--runner=direct|flink|spark]%n",
        t.name(), modes);
  }

  private static int runTemplate(
      Templates templates, List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).startsWith("-")) {
      throw new Sluice.UsageException("template run needs a template name; ./sluice template list");
    }
    Template template = named(templates, args.get(0));
    List<String> runArgs = args.subList(1, args.size());
    List<String> jobArgs = jobArgs(template, runArgs);
    jobArgs.add(0, template.job());
    err.printf(
        "sluice: template %s runs: ./sluice run %s%n", template.name(), String.join(" ", jobArgs));
    try {
      return Sluice.runJob(jobArgs.toArray(new String[0]), out, err);
    } catch (Sluice.UsageException e) {
      throw new Sluice.UsageException(
          whose(template, modeOf(template, runArgs), e.getMessage()), e);
    }
  }

  /**
   * A job's refusal of a flag the template set, as the template's: its name first and, for the
   * input, the parameters it came from ({@code --windowSize} is the parameter windowSize).
   */
  private static String whose(Template template, Mode mode, String message) {
    if (message.startsWith("--input")) {
      return String.format(
          "template %s, %s: %s",
          template.name(), TemplateParameters.inputParameters(template, mode), message);
    }
    return String.format("template %s: %s", template.name(), message);
  }

  /** The job's flags for {@code template run}'s arguments (after the template name). */
  static List<String> jobArgs(Template template, List<String> args) {
    List<String> params = new ArrayList<>();
    List<String> passThrough = new ArrayList<>();
    String modeFlag = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--param") || a.equals("-p")) {
        if (i + 1 >= args.size()) {
          throw new Sluice.UsageException("--param needs name=value, e.g. --param windowSize=10m");
        }
        params.add(args.get(++i));
      } else if (a.startsWith("--param=")) {
        params.add(a.substring("--param=".length()));
      } else if (a.startsWith("--mode=")) {
        modeFlag = a.substring("--mode=".length());
      } else if (a.equals("--mode")) {
        throw new Sluice.UsageException("--mode needs a value: --mode=batch|stream");
      } else {
        passThrough.add(a);
      }
    }
    Mode mode = mode(template, modeFlag);
    List<String> flags;
    try {
      Map<String, String> values = TemplateParameters.parse(params);
      flags = TemplateParameters.flags(template, mode, values);
    } catch (IllegalArgumentException e) {
      throw new Sluice.UsageException(Sluice.oneLine(e.getMessage()), e);
    }
    for (String p : passThrough) {
      String name = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
      if (flags.stream().anyMatch(f -> f.startsWith(name + "="))) {
        throw new Sluice.UsageException(
            String.format(
                "%s is set by template %s; give it as a --param (./sluice template describe %s)",
                name, template.name(), template.name()));
      }
    }
    List<String> all = new ArrayList<>(flags);
    all.addAll(passThrough);
    return all;
  }

  /** The mode {@code --mode=} names, or the template's only one. */
  private static Mode mode(Template template, String modeFlag) {
    String modes = template.modes().stream().map(Mode::text).collect(Collectors.joining(", "));
    if (modeFlag != null) {
      return Arrays.stream(Mode.values())
          .filter(m -> m.text().equals(modeFlag))
          .findFirst()
          .orElseThrow(
              () ->
                  new Sluice.UsageException(
                      String.format(
                          "--mode: '%s' is not a mode; template %s has: %s",
                          modeFlag, template.name(), modes)));
    }
    if (template.modes().size() == 1) {
      return template.modes().iterator().next();
    }
    throw new Sluice.UsageException(
        String.format(
            "template %s needs --mode=%s", template.name(), String.join("|", modes.split(", "))));
  }

  /** The mode of {@code template run}'s arguments (already checked by {@link #jobArgs}). */
  private static Mode modeOf(Template template, List<String> args) {
    return mode(
        template,
        args.stream()
            .filter(a -> a.startsWith("--mode="))
            .map(a -> a.substring("--mode=".length()))
            .reduce((first, last) -> last)
            .orElse(null));
  }

  /** The first {@code --templates=DIR} (the user's before the launcher's), all of them removed. */
  private static Templates templatesFrom(List<String> args) {
    String dir = null;
    for (int i = args.size() - 1; i >= 0; i--) {
      if (args.get(i).startsWith("--templates=")) {
        dir = args.remove(i).substring("--templates=".length());
      }
    }
    if (dir == null) {
      return wrap(Templates::fromSystemProperty);
    }
    Path path = Path.of(dir);
    return wrap(() -> Templates.in(path));
  }

  private static Template named(Templates templates, String name) {
    return wrap(() -> templates.named(name))
        .orElseThrow(
            () ->
                new Sluice.UsageException(
                    String.format(
                        "unknown template '%s'; known: %s (./sluice template list)",
                        name, String.join(", ", templates.names()))));
  }

  private static <T> T wrap(java.util.function.Supplier<T> s) {
    try {
      return s.get();
    } catch (IllegalArgumentException e) {
      throw new Sluice.UsageException(Sluice.oneLine(e.getMessage()), e);
    }
  }
}
