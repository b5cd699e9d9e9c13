package dev.sluice.launcher.cli;

import dev.sluice.transforms.window.DurationSpec;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one command grammar of {@code ./sluice}: every command and subcommand is a picocli
 * {@code @Command} built through {@link #commandLine}, so they all read flags, print {@code --help}
 * and report mistakes the same way.
 *
 * <ul>
 *   <li>{@code --help} (or {@code -h}) on any command or subcommand prints its usage, exit 0;
 *   <li>an unknown flag, a bad value or a missing argument ends in ONE line on stderr, {@code
 *       sluice <command>: <message>}, naming the flag and what is allowed, exit {@value #USAGE};
 *   <li>a {@link Failure} while running ends in one line too, exit {@value #FAILED}; {@code
 *       SLUICE_DEBUG=1} adds the stack trace.
 * </ul>
 *
 * Durations ({@link java.time.Duration} and Joda's) are read by {@link DurationSpec}; whole numbers
 * say "is not a whole number" rather than Java's wording.
 */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private Cli() {}

  /** The {@code --help}/{@code -h} option, mixed into every command. */
  public static final class Help {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Print this usage and exit.")
    boolean help;
  }

  /** A problem met while running a command (not with what the user typed): one line, exit 1. */
  public static class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    public Failure(String message) {
      super(message);
    }

    public Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A picocli command line for {@code command} named {@code name} (for example {@code "sluice
   * kafka"}), printing usage to {@code out} and errors to {@code err} in the one style above.
   */
  public static CommandLine commandLine(
      Object command, String name, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(command);
    cli.setCommandName(name);
    // An argument starting with @ is a value (an account, a topic), never a file of arguments.
    cli.setExpandAtFiles(false);
    cli.registerConverter(Integer.class, Cli::wholeNumber);
    cli.registerConverter(Integer.TYPE, Cli::wholeNumber);
    cli.registerConverter(Long.class, Cli::wholeLong);
    cli.registerConverter(Long.TYPE, Cli::wholeLong);
    cli.registerConverter(Double.class, Cli::number);
    cli.registerConverter(Double.TYPE, Cli::number);
    cli.registerConverter(java.time.Duration.class, Cli::javaDuration);
    cli.registerConverter(org.joda.time.Duration.class, Cli::jodaDuration);
    cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cli.setParameterExceptionHandler(
        (e, args) -> {
          err.println(qualifiedName(e.getCommandLine()) + ": " + message(e));
          debug(err, e);
          err.flush();
          return USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, c, parsed) -> {
          String text =
              e instanceof Failure
                  ? e.getMessage()
                  : e.getClass().getSimpleName() + ": " + e.getMessage();
          err.println(qualifiedName(c) + ": " + text);
          debug(err, e);
          err.flush();
          return FAILED;
        });
    return cli;
  }

  /** {@code sluice kafka consume}: the command and its parents, as the user typed them. */
  public static String qualifiedName(CommandLine c) {
    return c.getCommandSpec().qualifiedName(" ");
  }

  /** Runs {@code args} against {@code command}; returns the exit code. */
  public static int execute(
      Object command, String name, String[] args, PrintStream out, PrintStream err) {
    int status = commandLine(command, name, out, err).execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /**
   * The one line for a mistake in what the user typed: the flag (or argument) and what is allowed.
   */
  public static String message(ParameterException e) {
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    // picocli checks required arguments before it reports what it could not match; a typo in a
    // flag is the more useful thing to hear about.
    List<String> unmatched =
        e instanceof UnmatchedArgumentException
            ? ((UnmatchedArgumentException) e).getUnmatched()
            : e instanceof MissingParameterException
                ? e.getCommandLine().getUnmatchedArguments()
                : List.of();
    if (!unmatched.isEmpty()) {
      String first = unmatched.get(0);
      if (first.startsWith("-")) {
        int eq = first.indexOf('=');
        String flag = eq < 0 ? first : first.substring(0, eq);
        String command = spec.name().substring(spec.name().lastIndexOf(' ') + 1);
        return "unknown flag " + flag + " for " + command + "; allowed: " + allowed(spec);
      }
      if (!spec.subcommands().isEmpty()) {
        return "unknown command '" + first + "'; commands: " + commands(spec);
      }
      return "unexpected argument '" + first + "'; allowed: " + allowed(spec);
    }
    if (e instanceof MissingParameterException) {
      List<ArgSpec> missing = ((MissingParameterException) e).getMissing();
      if (missing != null && !missing.isEmpty()) {
        ArgSpec arg = missing.get(0);
        if (arg instanceof OptionSpec) {
          OptionSpec option = (OptionSpec) arg;
          boolean given = String.valueOf(e.getMessage()).startsWith("Missing required parameter");
          return option.longestName()
              + (given ? " needs a value: " : " is required: ")
              + example(option);
        }
        return arg.paramLabel() + " is required";
      }
    }
    ArgSpec arg = e.getArgSpec();
    if (arg instanceof OptionSpec && arg.arity().max() == 0) {
      String flag = ((OptionSpec) arg).longestName();
      return flag + " takes no value; write just " + flag;
    }
    if (arg instanceof OptionSpec && arg.type().isEnum() && e.getValue() != null) {
      return ((OptionSpec) arg).longestName()
          + ": '"
          + e.getValue()
          + "' is not allowed; allowed: "
          + Arrays.stream(arg.type().getEnumConstants())
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
    }
    if (e.getCause() instanceof TypeConversionException && arg instanceof OptionSpec) {
      return ((OptionSpec) arg).longestName() + ": " + e.getCause().getMessage();
    }
    if (arg instanceof OptionSpec && String.valueOf(e.getMessage()).startsWith("Expected")) {
      OptionSpec option = (OptionSpec) arg;
      return option.longestName() + " needs a value: " + example(option);
    }
    if (e.getCause() instanceof TypeConversionException) {
      return e.getCause().getMessage();
    }
    return e.getMessage();
  }

  /** A parse error of {@code command}: for checks of a value beyond its type (ranges, forms). */
  public static ParameterException usage(CommandSpec command, String message) {
    return new ParameterException(command.commandLine(), message);
  }

  private static String example(OptionSpec option) {
    return option.longestName() + "=" + option.paramLabel();
  }

  /** The command's flags: {@code --name=...} for those with a value, then bare switches. */
  static String allowed(CommandSpec spec) {
    List<String> valued = new ArrayList<>();
    List<String> switches = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      if (option.arity().max() == 0) {
        switches.add(option.longestName());
      } else {
        valued.add(option.longestName() + "=...");
      }
    }
    valued.sort(null);
    switches.sort(null);
    List<String> all = new ArrayList<>(valued);
    all.addAll(switches);
    return all.isEmpty() ? "no flags" : String.join(", ", all);
  }

  private static String commands(CommandSpec spec) {
    return spec.subcommands().keySet().stream()
        .filter(n -> !n.equals("help"))
        .collect(Collectors.joining(", "));
  }

  private static Integer wholeNumber(String text) {
    try {
      return Integer.valueOf(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number");
    }
  }

  private static Long wholeLong(String text) {
    try {
      return Long.valueOf(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number");
    }
  }

  private static Double number(String text) {
    try {
      return Double.valueOf(text);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a number");
    }
  }

  /** The name DurationSpec puts before its message; the option's own name replaces it. */
  private static final String WHAT = "\u0000";

  /** A positive duration in {@link DurationSpec}'s form: 500ms, 30s, 10m, 1h, 2d. */
  public static org.joda.time.Duration jodaDuration(String text) {
    try {
      return DurationSpec.parse(WHAT, text);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage().substring(WHAT.length() + 2));
    }
  }

  /** {@link #jodaDuration} as a {@link java.time.Duration}. */
  public static java.time.Duration javaDuration(String text) {
    return java.time.Duration.ofMillis(jodaDuration(text).getMillis());
  }

  private static void debug(PrintStream err, Throwable e) {
    if ("1".equals(System.getenv("SLUICE_DEBUG"))) {
      e.printStackTrace(err);
    }
  }
}
