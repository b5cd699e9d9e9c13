package dev.sluice.notebooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The patched kernel jar the build makes (target/rapaio-jupyter-kernel-patched.jar), against the
 * upstream jar it is made from: the same classes but for LoopThread, which is this module's fixed
 * one and the one that loads; the upstream licence and a notice of the changes inside.
 */
class PatchedKernelJarIT {
  private static final String LOOP_THREAD_CLASS =
      "org/rapaio/jupyter/kernel/channels/LoopThread.class";
  private static final Path PATCHED = Path.of("target", "rapaio-jupyter-kernel-patched.jar");

  @Test
  void theJarIsTheUpstreamOneWithOnlyLoopThreadReplacedAndTheCheckAdded() throws Exception {
    Path upstream =
        KernelCheck.location(
            Class.forName(KernelCheck.MAIN_APP, false, LoopThreadTest.class.getClassLoader()));
    try (JarFile patched = new JarFile(PATCHED.toFile());
        JarFile original = new JarFile(upstream.toFile())) {
      Set<String> added = classes(patched);
      added.removeAll(classes(original));
      assertEquals(
          Set.of("dev/sluice/notebooks/KernelCheck.class"),
          added,
          "classes in the patched jar only");
      Set<String> dropped = classes(original);
      dropped.removeAll(classes(patched));
      assertEquals(Set.of(), dropped, "upstream classes missing from the patched jar");

      byte[] fixed = Files.readAllBytes(Path.of("target", "classes", LOOP_THREAD_CLASS));
      assertArrayEquals(fixed, bytes(patched, LOOP_THREAD_CLASS), "LoopThread is this module's");
      assertFalse(
          java.util.Arrays.equals(fixed, bytes(original, LOOP_THREAD_CLASS)),
          "this module's LoopThread differs from upstream's");
      assertEquals(
          Files.readString(Path.of("target", "classes", "logging.properties")),
          new String(bytes(patched, "logging.properties"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void theJarCarriesTheUpstreamLicenceAndANoticeOfTheChanges() throws IOException {
    try (JarFile patched = new JarFile(PATCHED.toFile())) {
      String licence =
          new String(
              bytes(patched, "META-INF/rapaio-jupyter-kernel/LICENCE"), StandardCharsets.UTF_8);
      assertTrue(licence.startsWith("The MIT License (MIT)"), licence);
      assertTrue(licence.contains("Aurelian Tutuianu"), licence);
      String notice =
          new String(
              bytes(patched, "META-INF/rapaio-jupyter-kernel/NOTICE"), StandardCharsets.UTF_8);
      assertTrue(notice.contains("LoopThread.class is replaced"), notice);
      assertEquals(
          "org.rapaio.jupyter.kernel.MainApp",
          patched.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

  @Test
  void aKernelRunOnTheJarAloneLoadsTheFixedLoopThread() throws Exception {
    try (URLClassLoader kernel =
        new URLClassLoader(
            new URL[] {PATCHED.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      assertNull(KernelCheck.problem(kernel));
    }
    // The same check on the upstream jar finds the race: it can tell the two apart.
    try (URLClassLoader upstream = LoopThreadTest.upstreamKernel()) {
      assertNotNull(KernelCheck.problem(upstream));
    }
  }

  private static Set<String> classes(JarFile jar) {
    Set<String> names = new TreeSet<>();
    jar.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".class")).forEach(names::add);
    return names;
  }

  private static byte[] bytes(JarFile jar, String name) throws IOException {
    ZipEntry entry = jar.getEntry(name);
    assertNotNull(entry, name + " in " + jar.getName());
    try (var in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }
}
