package dev.sluice.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.channels.LoopThread;

/**
 * The fixed {@code LoopThread} (this module's class) against the contract that removes the kernel's
 * start-up race, and {@link KernelCheck} against both it and the upstream class, which must fail.
 */
class LoopThreadTest {
  private static final long WAIT_MILLIS = 10_000;

  @Test
  void theClassUnderTestIsThisModules() {
    Path classes = KernelCheck.location(LoopThread.class);
    assertTrue(Files.isDirectory(classes), "LoopThread loaded from " + classes);
  }

  @Test
  void throwingTurnsDoNotEndTheThreadAndShutdownDoes() throws Exception {
    Field running = LoopThread.class.getDeclaredField("running");
    running.setAccessible(true);
    AtomicInteger turns = new AtomicInteger();
    LoopThread thread =
        new LoopThread(
            "test-loop",
            1,
            () -> {
              int turn = turns.incrementAndGet();
              // As Channels.getHandler does before the handler map exists: the first turns throw.
              if (turn <= 3) {
                throw new NullPointerException("turn " + turn);
              }
            });
    assertFalse(readBoolean(running, thread), "running before start()");
    thread.setDaemon(true);
    thread.start();
    long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
    while (turns.get() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertTrue(turns.get() >= 5, "turns run: " + turns.get());
    assertTrue(thread.isAlive(), "the thread ended after its throwing turns");
    assertTrue(readBoolean(running, thread), "running while the loop goes on");

    thread.shutdown();
    thread.join(WAIT_MILLIS);
    assertFalse(thread.isAlive(), "the thread still runs after shutdown()");
  }

  /**
   * The kernel's other classes call the upstream API: a version bump that changes it fails here.
   */
  @Test
  void theFixedClassHasTheUpstreamClassesConstructorsAndMethods() throws Exception {
    try (URLClassLoader upstream = upstreamKernel()) {
      Class<?> original = Class.forName(KernelCheck.LOOP_THREAD, false, upstream);
      assertEquals(members(original), members(LoopThread.class));
      assertEquals(original.getModifiers(), LoopThread.class.getModifiers());
      assertEquals(original.getSuperclass(), LoopThread.class.getSuperclass());
    }
  }

  @Test
  void kernelCheckPassesTheFixedClass() throws Exception {
    assertNull(KernelCheck.startOrderProblem(LoopThread.class));
    assertNull(KernelCheck.failingTurnProblem(LoopThread.class));
  }

  @Test
  void kernelCheckFailsTheUpstreamClass() throws Exception {
    try (URLClassLoader upstream = upstreamKernel()) {
      Class<?> original = Class.forName(KernelCheck.LOOP_THREAD, false, upstream);
      assertEquals(
          "its start() starts the thread before setting running",
          KernelCheck.startOrderProblem(original));
      String problem = KernelCheck.failingTurnProblem(original);
      assertNotNull(problem);
      // The thread dies of its first turn's exception; or, when the race strikes, runs none.
      assertTrue(
          problem.equals("a loop turn that throws ends its thread")
              || problem.equals("its thread ended without running a loop turn"),
          problem);
      String whole = KernelCheck.problem(upstream);
      assertTrue(whole.startsWith("its start() starts the thread before setting running"), whole);
    }
  }

  /** The upstream kernel jar (on this test classpath as a dependency), on its own. */
  static URLClassLoader upstreamKernel() throws Exception {
    Path jar =
        KernelCheck.location(
            Class.forName(KernelCheck.MAIN_APP, false, LoopThreadTest.class.getClassLoader()));
    assertTrue(jar.getFileName().toString().startsWith("rapaio-jupyter-kernel-"), jar.toString());
    return new URLClassLoader(
        new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
  }

  /** The non-private constructors and methods a class declares, as modifiers, name and types. */
  private static Set<String> members(Class<?> type) {
    Set<String> members = new TreeSet<>();
    for (Executable member : type.getDeclaredConstructors()) {
      members.add(signature(member));
    }
    for (Executable member : type.getDeclaredMethods()) {
      members.add(signature(member));
    }
    members.removeIf(member -> member.startsWith("private ") || member.contains("lambda$"));
    return members;
  }

  private static String signature(Executable member) {
    String name = member instanceof Constructor ? "<init>" : member.getName();
    String returns = member instanceof Method method ? method.getReturnType().getName() + " " : "";
    return Modifier.toString(member.getModifiers())
        + " "
        + returns
        + name
        + Arrays.toString(member.getParameterTypes());
  }

  private static boolean readBoolean(Field field, Object target) {
    try {
      return field.getBoolean(target);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }
}
