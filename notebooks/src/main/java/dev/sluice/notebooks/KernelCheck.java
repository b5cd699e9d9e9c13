package dev.sluice.notebooks;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.spi.ToolProvider;

/**
 * Checks that a classpath runs rapaio-jupyter-kernel with the fixed {@code LoopThread} (this
 * module's, which the build puts in place of the upstream class in the patched kernel jar). {@code
 * notebooks/setup} runs it with the kernelspec's classpath:
 *
 * <pre>java -cp KERNEL_CLASSPATH dev.sluice.notebooks.KernelCheck</pre>
 *
 * <p>It prints nothing and exits 0 if the class is the fixed one, else prints one line saying what
 * is wrong and exits 1. It checks what the fix is, not a name or a marker: {@code start()} sets
 * {@code running} before it starts the thread (read from the class's bytecode, as the race itself
 * cannot be provoked on demand), and a loop turn that throws does not end the thread.
 */
public final class KernelCheck {
  static final String LOOP_THREAD = "org.rapaio.jupyter.kernel.channels.LoopThread";
  static final String MAIN_APP = "org.rapaio.jupyter.kernel.MainApp";

  /** How long a loop thread gets to run its turns, and to end after {@code shutdown()}. */
  private static final long WAIT_MILLIS = 10_000;

  private KernelCheck() {}

  public static void main(String[] args) {
    String problem;
    try {
      problem = problem(KernelCheck.class.getClassLoader());
    } catch (Exception | LinkageError e) {
      problem = e.toString();
    }
    if (problem != null) {
      System.err.println("the kernel's LoopThread is not the fixed one: " + problem);
      System.exit(1);
    }
  }

  /**
   * Null if the kernel that {@code loader} sees runs the fixed {@code LoopThread} from the kernel's
   * own jar, else what is wrong, in one line.
   */
  public static String problem(ClassLoader loader)
      throws ReflectiveOperationException, InterruptedException {
    Class<?> loopThread = Class.forName(LOOP_THREAD, false, loader);
    Path from = location(loopThread);
    Path kernel = location(Class.forName(MAIN_APP, false, loader));
    // A LoopThread from anywhere but the kernel's jar is the ordering trick this jar replaces.
    if (!from.equals(kernel)) {
      return "it comes from " + from + ", not from the kernel's jar " + kernel;
    }
    String problem = startOrderProblem(loopThread);
    if (problem == null) {
      problem = failingTurnProblem(loopThread);
    }
    return problem == null ? null : problem + " (in " + from + ")";
  }

  /**
   * Null if {@code start()} of the given {@code LoopThread} class writes {@code running} before it
   * calls {@code Thread.start()}, else what it does instead. Reads the class file with javap.
   */
  public static String startOrderProblem(Class<?> loopThread) {
    ToolProvider javap = ToolProvider.findFirst("javap").orElse(null);
    if (javap == null) {
      return "javap is not in this Java runtime (the kernel needs a JDK)";
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        javap.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "-c",
            "-p",
            "-cp",
            location(loopThread).toString(),
            loopThread.getName());
    if (exit != 0) {
      return "javap failed on it: " + err.toString().strip();
    }
    String code = out.toString();
    int start = code.indexOf(" void start();");
    if (start < 0) {
      return "it has no start() of its own";
    }
    int end = code.indexOf("\n\n", start);
    String body = code.substring(start, end < 0 ? code.length() : end);
    int setRunning = body.indexOf("// Field running:Z");
    int startThread = body.indexOf("// Method java/lang/Thread.start:()V");
    if (setRunning < 0 || startThread < 0) {
      return "its start() does not both set running and call Thread.start()";
    }
    return setRunning < startThread ? null : "its start() starts the thread before setting running";
  }

  /**
   * Null if a {@code LoopThread} of the given class whose first loop turn throws goes on to a
   * second turn and ends after {@code shutdown()}, else what happened instead.
   */
  public static String failingTurnProblem(Class<?> loopThread)
      throws ReflectiveOperationException, InterruptedException {
    AtomicInteger turns = new AtomicInteger();
    Runnable body =
        () -> {
          if (turns.incrementAndGet() == 1) {
            throw new IllegalStateException("the first turn fails (KernelCheck)");
          }
        };
    Thread thread =
        (Thread)
            loopThread
                .getConstructor(String.class, long.class, Runnable.class)
                .newInstance("kernel-check", 1L, body);
    thread.setDaemon(true);
    // The unfixed thread dies of the exception: that is the finding, not a trace to print.
    thread.setUncaughtExceptionHandler((t, e) -> {});
    // The fixed one logs the failed turn as a warning: expected here, so kept quiet.
    Logger log = Logger.getLogger(loopThread.getName());
    Level level = log.getLevel();
    log.setLevel(Level.OFF);
    try {
      thread.start();
      long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
      while (turns.get() < 2 && thread.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      int seen = turns.get();
      boolean aliveAfterTurns = thread.isAlive();
      loopThread.getMethod("shutdown").invoke(thread);
      thread.join(WAIT_MILLIS);
      if (thread.isAlive()) {
        return "its thread did not end within " + WAIT_MILLIS + " ms of shutdown()";
      }
      if (seen >= 2) {
        return null;
      }
      if (seen == 0) {
        return "its thread ended without running a loop turn";
      }
      return aliveAfterTurns
          ? "its thread ran no second turn within " + WAIT_MILLIS + " ms"
          : "a loop turn that throws ends its thread";
    } finally {
      log.setLevel(level);
    }
  }

  /** The jar or directory a class was loaded from. */
  static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate " + type.getName(), e);
    }
  }
}
