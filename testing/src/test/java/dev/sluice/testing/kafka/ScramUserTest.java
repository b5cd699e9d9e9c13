package dev.sluice.testing.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScramUserTest {
  @Test
  void theClientFileHoldsTheLoginAndOnlyItsOwnerMayReadIt(@TempDir Path dir) throws IOException {
    Path file = ScramUser.of("alice", "pw-1").writeClientProperties(dir.resolve("a.properties"));

    Properties read = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      read.load(in);
    }
    assertEquals("SASL_PLAINTEXT", read.getProperty("security.protocol"));
    assertEquals("SCRAM-SHA-256", read.getProperty("sasl.mechanism"));
    assertEquals(
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"alice\" password=\"pw-1\";",
        read.getProperty("sasl.jaas.config"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void itsTextNeverShowsThePassword() {
    assertEquals("ScramUser[alice, password=[hidden]]", ScramUser.of("alice", "pw-1").toString());
  }

  @Test
  void aPasswordThatWouldBreakTheJaasLineIsRefusedWithoutBeingRepeated() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ScramUser.of("bob", "a\"b;c"));
    assertThat(e.getMessage(), containsString("password of user 'bob' is not allowed"));
    assertThat(e.getMessage(), not(containsString("a\"b;c")));
    assertThrows(IllegalArgumentException.class, () -> ScramUser.of("b,ob", "fine"));
  }
}
