package dev.sluice.launcher.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.jobs.Jobs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * One template file: the job it runs, its parameters and, per mode ({@code batch} or {@code
 * stream}), how the job's {@code --input} is formed from them ({@code ${name}} stands for a
 * parameter's value). A parameter with a {@code flag} becomes {@code --flag=value}. {@link #parse}
 * checks the file itself; {@link TemplateParameters} checks what a user passes.
 *
 * <pre>{@code
 * {
 *   "job": "word-count",
 *   "description": "Word counts over a day of text",
 *   "modes": { "batch": { "input": "${source}" } },
 *   "parameters": [
 *     { "name": "source", "type": "uri", "required": true, "help": "file: glob or kafka://...?stop=" },
 *     { "name": "windowSize", "type": "duration", "default": "10m", "flag": "windowSize", "help": "..." }
 *   ]
 * }
 * }</pre>
 */
public final class Template {
  /** How a job reads: a bounded input (files, a Kafka range with stop=) or a live Kafka topic. */
  public enum Mode {
    BATCH,
    STREAM;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Mode> of(String text) {
      for (Mode m : values()) {
        if (m.text().equals(text)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  }

  /** A parameter's kind, with what it accepts. */
  public enum Type {
    STRING("any text"),
    INT("a whole number"),
    DOUBLE("a number"),
    DURATION("a duration: a whole number and ms, s, m, h or d (e.g. 30s, 10m, 1h)"),
    URI("a file: path or glob, or kafka://host:port/topic[?...]"),
    ENUM("one of the allowed values"),
    TIME("an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");

    private final String accepts;

    Type(String accepts) {
      this.accepts = accepts;
    }

    public String accepts() {
      return accepts;
    }

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A declared parameter. {@code modes} empty means every mode of the template. */
  public record Parameter(
      String name,
      Type type,
      Optional<String> defaultValue,
      boolean required,
      List<String> allowed,
      Optional<Pattern> pattern,
      String help,
      Optional<String> flag,
      Set<Mode> modes) {

    /** Whether the parameter applies to {@code mode}. */
    public boolean appliesTo(Mode mode) {
      return modes.isEmpty() || modes.contains(mode);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]*");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Set<String> TOP_FIELDS = Set.of("job", "description", "modes", "parameters");
  private static final Set<String> PARAMETER_FIELDS =
      Set.of("name", "type", "default", "required", "allowed", "pattern", "help", "flag", "modes");

  private final String name;
  private final String job;
  private final String description;
  private final Map<Mode, String> inputs;
  private final Map<String, Parameter> parameters;

  private Template(
      String name,
      String job,
      String description,
      Map<Mode, String> inputs,
      Map<String, Parameter> parameters) {
    this.name = name;
    this.job = job;
    this.description = description;
    this.inputs = Collections.unmodifiableMap(inputs);
    this.parameters = Collections.unmodifiableMap(parameters);
  }

  /** Reads and checks a template file; its name is the file name without {@code .json}. */
  public static Template read(Path file) {
    String fileName = file.getFileName().toString();
    String name =
        fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    try {
      return parse(name, Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "template " + name + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses and checks a template's text.
   *
   * @throws IllegalArgumentException naming the template, the field and what is wrong
   */
  public static Template parse(String name, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw bad(name, "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw bad(name, "expected a JSON object with job, description, modes and parameters");
    }
    unknownFields(name, "", root, TOP_FIELDS);
    String job = text(name, "job", root.get("job"), true);
    if (Jobs.named(job).isEmpty()) {
      throw bad(
          name,
          "job: unknown job '"
              + job
              + "'; known: "
              + Jobs.all().stream().map(j -> j.name()).collect(Collectors.joining(", ")));
    }
    String description = text(name, "description", root.get("description"), true);

    Map<String, Parameter> parameters = new LinkedHashMap<>();
    JsonNode params = root.get("parameters");
    if (params != null && !params.isArray()) {
      throw bad(name, "parameters: expected a list of parameters");
    }
    if (params != null) {
      for (JsonNode p : params) {
        Parameter parameter = parameter(name, p);
        if (parameters.put(parameter.name(), parameter) != null) {
          throw bad(name, "parameter '" + parameter.name() + "' is declared twice");
        }
      }
    }

    JsonNode modes = root.get("modes");
    if (modes == null || !modes.isObject() || modes.size() == 0) {
      throw bad(name, "modes: expected an object with batch and/or stream, each with an input");
    }
    Map<Mode, String> inputs = new EnumMap<>(Mode.class);
    for (Iterator<Map.Entry<String, JsonNode>> it = modes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Mode mode =
          Mode.of(e.getKey())
              .orElseThrow(
                  () ->
                      bad(name, "modes: unknown mode '" + e.getKey() + "'; modes: batch, stream"));
      unknownFields(name, "modes." + e.getKey() + ".", e.getValue(), Set.of("input"));
      String input = text(name, "modes." + e.getKey() + ".input", e.getValue().get("input"), true);
      Matcher m = REFERENCE.matcher(input);
      while (m.find()) {
        Parameter p = parameters.get(m.group(1));
        if (p == null) {
          throw bad(
              name, "modes." + e.getKey() + ".input: '${" + m.group(1) + "}' names no parameter");
        }
        if (!p.appliesTo(mode)) {
          throw bad(
              name,
              "modes."
                  + e.getKey()
                  + ".input: parameter '"
                  + p.name()
                  + "' does not apply to mode "
                  + mode.text());
        }
      }
      inputs.put(mode, input);
    }
    for (Parameter p : parameters.values()) {
      for (Mode m : p.modes()) {
        if (!inputs.containsKey(m)) {
          throw bad(
              name,
              "parameter '"
                  + p.name()
                  + "': mode "
                  + m.text()
                  + " is not one of the template's modes");
        }
      }
    }
    return new Template(name, job, description, inputs, parameters);
  }

  private static Parameter parameter(String template, JsonNode p) {
    if (!p.isObject()) {
      throw bad(template, "parameters: each parameter is an object with name, type, help ...");
    }
    String name = text(template, "parameters[].name", p.get("name"), true);
    if (!NAME.matcher(name).matches()) {
      throw bad(template, "parameter '" + name + "': a name is letters, digits, '.', '_' or '-'");
    }
    String where = "parameter '" + name + "'";
    unknownFields(template, where + ": ", p, PARAMETER_FIELDS);
    String typeText = text(template, where + ": type", p.get("type"), true);
    Type type;
    try {
      type = Type.valueOf(typeText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(
          template,
          where
              + ": unknown type '"
              + typeText
              + "'; types: string, int, double,"
              + " duration, uri, enum, time");
    }
    String help = text(template, where + ": help", p.get("help"), true);
    boolean required = p.has("required") && p.get("required").asBoolean(false);
    if (p.has("required") && !p.get("required").isBoolean()) {
      throw bad(template, where + ": required is true or false");
    }
    List<String> allowed = new ArrayList<>();
    if (p.has("allowed")) {
      if (!p.get("allowed").isArray() || p.get("allowed").size() == 0) {
        throw bad(template, where + ": allowed is a non-empty list of values");
      }
      p.get("allowed").forEach(v -> allowed.add(v.asText()));
    }
    if (type == Type.ENUM && allowed.isEmpty()) {
      throw bad(template, where + ": an enum needs its allowed values");
    }
    Optional<Pattern> pattern = Optional.empty();
    if (p.has("pattern")) {
      try {
        pattern = Optional.of(Pattern.compile(p.get("pattern").asText()));
      } catch (PatternSyntaxException e) {
        throw bad(template, where + ": pattern is not a regular expression: " + e.getDescription());
      }
    }
    Optional<String> flag =
        Optional.ofNullable(text(template, where + ": flag", p.get("flag"), false));
    Set<Mode> modes = new LinkedHashSet<>();
    if (p.has("modes")) {
      for (JsonNode m : p.get("modes")) {
        modes.add(
            Mode.of(m.asText())
                .orElseThrow(
                    () ->
                        bad(
                            template,
                            where + ": unknown mode '" + m.asText() + "'; modes: batch, stream")));
      }
    }
    Optional<String> dflt = Optional.ofNullable(p.get("default")).map(JsonNode::asText);
    if (required && dflt.isPresent()) {
      throw bad(template, where + ": a required parameter has no default");
    }
    Parameter parameter =
        new Parameter(name, type, dflt, required, List.copyOf(allowed), pattern, help, flag, modes);
    if (dflt.isPresent()) {
      try {
        TemplateParameters.check(parameter, dflt.get());
      } catch (IllegalArgumentException e) {
        throw bad(template, "default of " + e.getMessage());
      }
    }
    return parameter;
  }

  private static void unknownFields(
      String template, String where, JsonNode node, Set<String> known) {
    if (!node.isObject()) {
      throw bad(template, where + "expected an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw bad(
            template,
            where
                + "unknown field '"
                + field
                + "'; fields: "
                + known.stream().sorted().collect(Collectors.joining(", ")));
      }
    }
  }

  private static String text(String template, String field, JsonNode node, boolean required) {
    if (node == null || node.isNull()) {
      if (required) {
        throw bad(template, field + " is missing");
      }
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw bad(template, field + ": expected a non-empty string");
    }
    return node.asText();
  }

  private static IllegalArgumentException bad(String template, String message) {
    return new IllegalArgumentException("template " + template + ": " + message);
  }

  public String name() {
    return name;
  }

  public String job() {
    return job;
  }

  public String description() {
    return description;
  }

  /** The modes this template runs in, batch first. */
  public Set<Mode> modes() {
    return inputs.keySet();
  }

  /** The input expression of {@code mode}, with {@code ${name}} references. */
  public String inputFor(Mode mode) {
    return inputs.get(mode);
  }

  public Map<String, Parameter> parameters() {
    return parameters;
  }

  /** The parameter names {@code expression} refers to as {@code ${name}}, in order, once each. */
  static List<String> references(String expression) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = REFERENCE.matcher(expression);
    while (m.find()) {
      names.add(m.group(1));
    }
    return List.copyOf(names);
  }

  /** {@code ${name}} in {@code expression} replaced by {@code values}. */
  static String expand(String expression, Map<String, String> values) {
    Matcher m = REFERENCE.matcher(expression);
    StringBuilder s = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(s, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
    }
    m.appendTail(s);
    return s.toString();
  }
}
