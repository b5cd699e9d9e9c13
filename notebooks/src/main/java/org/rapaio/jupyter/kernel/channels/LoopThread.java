package org.rapaio.jupyter.kernel.channels;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Replaces rapaio-jupyter-kernel's {@code LoopThread} (same package, name and API) to remove its
 * start-up race, which hung about one kernel start in six under load. The build puts this class in
 * place of the upstream one in the patched kernel jar ({@code
 * target/rapaio-jupyter-kernel-patched.jar}, see this module's pom), and {@code
 * dev.sluice.notebooks.KernelCheck} checks that the kernel runs it:
 *
 * <ul>
 *   <li>the original's {@code start()} started the thread before setting {@code running}, so the
 *       thread could see {@code running == false} and end at once, leaving a channel unserved; here
 *       {@code running} is set first;
 *   <li>a message that arrives before {@code Channels.connect} has built its handler map throws a
 *       {@code NullPointerException} in the loop body, which ended the shell thread for good; here
 *       a failing iteration is logged and the loop goes on (the client repeats its {@code
 *       kernel_info_request} until it gets a reply, so the dropped early message is not missed).
 * </ul>
 *
 * <p>Written from the class's observable contract (constructor, {@code run}, {@code start}, {@code
 * shutdown}); check it again when the kernel version changes (upstream 3.0.4 still has both
 * causes).
 */
public final class LoopThread extends Thread {
  private static final Logger LOG = Logger.getLogger(LoopThread.class.getName());

  private volatile boolean running;
  private int failures;
  private final long sleep;
  private final Runnable loopBody;

  public LoopThread(String name, long sleep, Runnable loopBody) {
    super(name);
    this.sleep = sleep;
    this.loopBody = loopBody;
  }

  @Override
  public void run() {
    while (running) {
      try {
        loopBody.run();
      } catch (RuntimeException e) {
        // The first failure is worth a warning; a channel failing on every turn must not flood.
        LOG.log(
            failures++ == 0 ? Level.WARNING : Level.FINE,
            getName() + ": a loop iteration failed; going on",
            e);
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        running = false;
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    super.start();
  }

  public void shutdown() {
    running = false;
  }
}
