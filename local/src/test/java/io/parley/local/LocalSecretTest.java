package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretTest {

    private static final String VARIABLE = "PARLEY_TEST_SECRET";

    @TempDir
    Path temp;

    @Test
    void aSecretFromTheEnvironmentIsUsedAndReferredToByItsVariable() {
        LocalSecret secret = LocalSecret.perRun(VARIABLE, Map.of(VARIABLE, "0123456789abcdef-env"), temp.resolve("token"));

        assertThat(secret.value().reveal()).isEqualTo("0123456789abcdef-env");
        assertThat(secret.shellReference()).isEqualTo("$" + VARIABLE);
        assertThat(temp.resolve("token")).doesNotExist();
    }

    @Test
    void withoutTheVariableEachRunWritesANewSecretOnlyItsOwnerCanRead() throws Exception {
        Path file = temp.resolve("token");

        LocalSecret first = LocalSecret.perRun(VARIABLE, Map.of(), file);
        LocalSecret second = LocalSecret.perRun(VARIABLE, Map.of(), file);

        assertThat(second.value().reveal()).isNotEqualTo(first.value().reveal()).hasSizeGreaterThanOrEqualTo(LocalSecret.MIN_LENGTH);
        assertThat(Files.readString(file).strip()).isEqualTo(second.value().reveal());
        assertThat(second.shellReference()).isEqualTo("$(cat " + file + ")");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void aKeptSecretStaysTheSameFromRunToRun() {
        Path file = temp.resolve("audit-key");

        LocalSecret first = LocalSecret.kept(VARIABLE, Map.of(), file);
        LocalSecret second = LocalSecret.kept(VARIABLE, Map.of(), file);

        assertThat(second.value().reveal()).isEqualTo(first.value().reveal());
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> LocalSecret.perRun(VARIABLE, Map.of(VARIABLE, "tooShort1"), temp.resolve("token")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(VARIABLE)
                .hasMessageContaining("16 characters")
                .hasMessageNotContaining("tooShort1");
    }
}
