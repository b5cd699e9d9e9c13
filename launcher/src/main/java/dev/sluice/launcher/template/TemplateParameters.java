package dev.sluice.launcher.template;

import dev.sluice.launcher.template.Template.Mode;
import dev.sluice.launcher.template.Template.Parameter;
import dev.sluice.pipelines.io.KafkaUri;
import dev.sluice.transforms.window.DurationSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks the {@code --param name=value} a user passes against a template before anything runs, and
 * turns them into the job's flags. Every error names the parameter, the value and what is allowed.
 */
public final class TemplateParameters {
  private TemplateParameters() {}

  /** {@code name=value} pairs in order; a name given twice is an error. */
  public static Map<String, String> parse(List<String> pairs) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--param '" + pair + "': expected name=value, e.g. --param windowSize=10m");
      }
      String name = pair.substring(0, eq);
      if (values.put(name, pair.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("--param " + name + " is given twice");
      }
    }
    return values;
  }

  /**
   * The job's flags for {@code template} in {@code mode} with {@code given} values: {@code
   * --input=...} and {@code --flag=value} for each parameter with a flag and a value.
   *
   * @throws IllegalArgumentException naming the parameter, its value and what is allowed
   */
  public static List<String> flags(Template template, Mode mode, Map<String, String> given) {
    if (!template.modes().contains(mode)) {
      throw new IllegalArgumentException(
          String.format(
              "template %s has no %s mode; modes: %s",
              template.name(), mode.text(), modesOf(template)));
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      Parameter p = template.parameters().get(e.getKey());
      if (p == null) {
        throw new IllegalArgumentException(
            String.format(
                "template %s has no parameter '%s'; parameters: %s (./sluice template"
                    + " describe %s)",
                template.name(), e.getKey(), namesFor(template, mode), template.name()));
      }
      if (!p.appliesTo(mode)) {
        throw new IllegalArgumentException(
            String.format(
                "template %s: parameter %s applies only to mode %s, not %s",
                template.name(),
                p.name(),
                p.modes().stream().map(Mode::text).collect(Collectors.joining(", ")),
                mode.text()));
      }
      try {
        check(p, e.getValue());
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException("template " + template.name() + ": " + bad.getMessage());
      }
      values.put(p.name(), e.getValue());
    }
    for (Parameter p : template.parameters().values()) {
      if (!p.appliesTo(mode) || values.containsKey(p.name())) {
        continue;
      }
      if (p.required()) {
        throw new IllegalArgumentException(
            String.format(
                "template %s: parameter %s is required (%s): --param %s=<%s>",
                template.name(), p.name(), p.help(), p.name(), p.type().text()));
      }
      p.defaultValue().ifPresent(d -> values.put(p.name(), d));
    }
    String input = Template.expand(template.inputFor(mode), values);
    checkInputFitsMode(template, mode, input);
    List<String> flags = new ArrayList<>();
    flags.add("--input=" + input);
    for (Parameter p : template.parameters().values()) {
      if (p.flag().isPresent() && values.containsKey(p.name())) {
        flags.add("--" + p.flag().get() + "=" + values.get(p.name()));
      }
    }
    return flags;
  }

  /** Checks one value against its parameter's type, allowed values and pattern. */
  public static void check(Parameter p, String value) {
    String problem = problem(p, value);
    if (problem != null) {
      throw new IllegalArgumentException(
          String.format("parameter %s: '%s' %s", p.name(), value, problem));
    }
  }

  private static String problem(Parameter p, String value) {
    if (value.isEmpty() && p.type() != Template.Type.STRING) {
      return "is empty; expected " + p.type().accepts();
    }
    switch (p.type()) {
      case INT:
        try {
          Long.parseLong(value);
        } catch (NumberFormatException e) {
          return "is not an int; expected " + p.type().accepts();
        }
        break;
      case DOUBLE:
        try {
          double d = Double.parseDouble(value);
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "is not a double; expected a finite number";
          }
        } catch (NumberFormatException e) {
          return "is not a double; expected " + p.type().accepts();
        }
        break;
      case DURATION:
        try {
          DurationSpec.parse(p.name(), value);
        } catch (IllegalArgumentException e) {
          return "is not a duration; expected " + p.type().accepts();
        }
        break;
      case URI:
        if (KafkaUri.isKafka(value)) {
          try {
            KafkaUri.parse(p.name(), value);
          } catch (IllegalArgumentException e) {
            return "is not a valid Kafka location: " + e.getMessage();
          }
        } else if (!value.startsWith("file:")) {
          return "is not a uri; expected " + p.type().accepts();
        }
        break;
      case TIME:
        try {
          Instant.parse(value);
        } catch (DateTimeParseException e) {
          return "is not a time; expected " + p.type().accepts();
        }
        break;
      default:
        break;
    }
    if (!p.allowed().isEmpty() && !p.allowed().contains(value)) {
      return "is not allowed; allowed: " + String.join(", ", p.allowed());
    }
    if (p.pattern().isPresent() && !p.pattern().get().matcher(value).matches()) {
      return "does not match the pattern " + p.pattern().get().pattern();
    }
    return null;
  }

  /**
   * Checks the input the parameters made: a Kafka location must parse (the parameters inside it
   * were only checked one by one); batch reads a bounded input (files, Kafka with stop=), a stream
   * reads a Kafka topic live. Every message names the parameters the input came from.
   */
  private static void checkInputFitsMode(Template template, Mode mode, String input) {
    String from =
        String.format(
            "%s, mode %s: input %s (from %s)",
            template.name(), mode.text(), input, inputParameters(template, mode));
    boolean kafka = KafkaUri.isKafka(input);
    KafkaUri uri = null;
    if (kafka) {
      try {
        uri = KafkaUri.parse("input", input);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            String.format("template %s is not a valid Kafka location: %s", from, e.getMessage()));
      }
    }
    if (mode == Mode.BATCH && kafka && !uri.isBounded()) {
      throw new IllegalArgumentException(
          String.format(
              "template %s has no stop=; a batch run reads a"
                  + " bounded range: add ?stop=now (or an offset or time), or use --mode=stream",
              from));
    }
    if (mode == Mode.STREAM && !kafka) {
      throw new IllegalArgumentException(
          String.format(
              "template %s is not a Kafka topic; a stream reads"
                  + " kafka://host:port/topic (files are read in --mode=batch)",
              from));
    }
    if (mode == Mode.STREAM && uri.isBounded()) {
      throw new IllegalArgumentException(
          String.format(
              "template %s has a stop=; a stream reads on without"
                  + " end (a bounded range is --mode=batch)",
              from));
    }
  }

  /**
   * "parameter a" or "parameters a, b": those whose value goes into {@code mode}'s input (none:
   * "the template's input").
   */
  public static String inputParameters(Template template, Mode mode) {
    List<String> names = Template.references(template.inputFor(mode));
    if (names.isEmpty()) {
      return "the template's input";
    }
    return (names.size() == 1 ? "parameter " : "parameters ") + String.join(", ", names);
  }

  private static String namesFor(Template template, Mode mode) {
    return template.parameters().values().stream()
        .filter(p -> p.appliesTo(mode))
        .map(Parameter::name)
        .collect(Collectors.joining(", "));
  }

  static String modesOf(Template template) {
    return template.modes().stream().map(Mode::text).collect(Collectors.joining(", "));
  }
}
