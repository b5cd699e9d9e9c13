package dev.sluice.launcher.service;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.launcher.service.LocalService.NotReadyException;
import dev.sluice.launcher.service.LocalService.Outcome;
import dev.sluice.launcher.service.LocalService.Stop;
import dev.sluice.launcher.service.LocalService.Watched;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (bash and sleep), started, found, waited for and stopped by pid. */
class LocalServiceTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path dir;

  /** Every process a test starts, killed afterwards whatever the test did. */
  private final List<Process> started = new ArrayList<>();

  /** A marker no other process on the machine has in its command line. */
  private final String marker = "sluice-test-" + UUID.randomUUID();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * bash running {@code script}, which ends with {@code exec -a "$MARKER" sleep 600}: the sleeper's
   * command line is then "MARKER 600". The marker comes in the environment, so that bash's own
   * command line (the script) does not carry it.
   */
  private Process launch(String script, Path pidFile) throws IOException {
    Process p =
        LocalService.launch(
            List.of("bash", "-c", script),
            Map.of("GREETING", "hello", "MARKER", marker),
            dir,
            dir.resolve("log"),
            pidFile);
    started.add(p);
    return p;
  }

  @Test
  void startsAwaitsFindsAndStopsAService() throws Exception {
    Path pidFile = dir.resolve("svc.pid");
    Process p = launch("sleep 0.3; echo \"$GREETING\"; exec -a \"$MARKER\" sleep 600", pidFile);

    // Ready once bash has become the sleeper (whose command line carries the marker).
    LocalService.awaitReady(
        List.of(new Watched("the sleeper", p, dir.resolve("log"))),
        () ->
            LocalService.running(pidFile, List.of(marker)).isPresent()
                ? Optional.empty()
                : Optional.of("no sleeper yet"),
        BOUND,
        "the sleeper");

    assertEquals(Optional.of(p.pid()), LocalService.readPid(pidFile));
    assertEquals(
        Optional.of(p.pid()),
        LocalService.running(pidFile, List.of(marker, "600")).map(ProcessHandle::pid));
    assertEquals(List.of("hello"), LocalService.tailLines(dir.resolve("log"), 5));

    Stop stop = LocalService.stop(pidFile, List.of(marker), BOUND);

    assertEquals(Outcome.STOPPED, stop.outcome());
    assertEquals(p.pid(), stop.pid());
    assertTrue(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS));
    assertEquals(143, p.exitValue(), "ended by SIGTERM");
    assertFalse(Files.exists(pidFile));
    assertEquals(Outcome.NOT_RUNNING, LocalService.stop(pidFile, List.of(marker), BOUND).outcome());
  }

  @Test
  void aPidFileOfADeadProcessIsStale() throws Exception {
    Path pidFile = dir.resolve("svc.pid");
    Process p = launch("exit 0", pidFile);
    assertTrue(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS));

    assertEquals(Optional.empty(), LocalService.running(pidFile, List.of("bash")));
    Stop stop = LocalService.stop(pidFile, List.of("bash"), BOUND);

    assertEquals(Outcome.STALE_PID_FILE, stop.outcome());
    assertEquals(p.pid(), stop.pid());
    assertFalse(Files.exists(pidFile));
  }

  @Test
  void aLivePidOfAnotherProgramIsNeitherOursNorSignalled() throws Exception {
    Path pidFile = dir.resolve("svc.pid");
    Process other = launch("exec -a \"other-$MARKER\" sleep 600", pidFile);
    String ours = "ours-" + marker;
    // Wait until bash has become the sleeper, whose command line is the one to judge.
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!LocalService.commandLine(other.toHandle()).orElse("").contains(marker)) {
      assertTrue(System.nanoTime() < deadline, "the sleeper never started");
      Thread.sleep(50);
    }

    assertEquals(Optional.empty(), LocalService.running(pidFile, List.of(ours)));
    Stop stop = LocalService.stop(pidFile, List.of(ours), BOUND);

    assertEquals(Outcome.STALE_PID_FILE, stop.outcome());
    assertFalse(Files.exists(pidFile));
    assertTrue(other.isAlive(), "another program's process must not be signalled");
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilled() throws Exception {
    Path pidFile = dir.resolve("svc.pid");
    Process p = launch("trap '' TERM; touch ready; exec -a \"$MARKER\" sleep 600", pidFile);
    LocalService.awaitReady(
        List.of(new Watched("the sleeper", p, dir.resolve("log"))),
        () ->
            Files.exists(dir.resolve("ready"))
                    && LocalService.commandLine(p.toHandle()).orElse("").contains(marker)
                ? Optional.empty()
                : Optional.of("not started"),
        BOUND,
        "the sleeper");

    Stop stop = LocalService.stop(pidFile, List.of(marker), Duration.ofSeconds(1));

    assertEquals(Outcome.KILLED, stop.outcome());
    assertTrue(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "ended by SIGKILL");
    assertFalse(Files.exists(pidFile));
  }

  @Test
  void aDeadlineEndsTheWaitNamingWhatAndTheLog() throws Exception {
    Process p = launch("echo still warming up; exec sleep 600", null);

    NotReadyException e =
        assertThrows(
            NotReadyException.class,
            () ->
                LocalService.awaitReady(
                    List.of(new Watched("the sleeper", p, dir.resolve("log"))),
                    () -> Optional.of("no ready file"),
                    Duration.ofSeconds(1),
                    "the test service"));

    assertEquals(Optional.empty(), e.died());
    assertThat(e.getMessage(), containsString("the test service was not ready within 1 s"));
    assertThat(e.getMessage(), containsString("no ready file"));
    assertThat(e.getMessage(), containsString("still warming up"));
    assertTrue(p.isAlive(), "the caller decides what to do with it");
  }

  @Test
  void aProcessThatDiesBeforeReadyEndsTheWaitWithItsStatus() throws Exception {
    Process p = launch("echo no such port; exit 3", null);

    NotReadyException e =
        assertThrows(
            NotReadyException.class,
            () ->
                LocalService.awaitReady(
                    List.of(new Watched("the broker", p, dir.resolve("log"))),
                    () -> Optional.of("no bootstrap file"),
                    BOUND,
                    "the test service"));

    assertEquals(3, e.exitValue());
    assertEquals("the broker", e.died().orElseThrow().name());
    assertThat(
        e.getMessage(),
        containsString("the broker exited (status 3) before the test service was ready"));
    assertThat(e.getMessage(), containsString("no such port"));
  }

  @Test
  void aFreePortCanBeBoundOnLoopback() throws IOException {
    int port = LocalService.freePort();

    assertTrue(LocalService.portIsFree(port));
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertFalse(LocalService.portIsFree(port));
    }
  }
}
