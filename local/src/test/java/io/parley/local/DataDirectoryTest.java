package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void aFreshStartWipesWhatAnEarlierRunKept() throws Exception {
        Path root = temp.resolve(".parley");
        DataDirectory first = DataDirectory.prepare(root, false);
        Files.createDirectories(first.kafka());
        Files.createDirectories(first.schemaJournal().getParent());
        Files.writeString(first.schemaJournal(), "{}\n");

        DataDirectory fresh = DataDirectory.prepare(root, true);

        assertThat(fresh.kafka()).doesNotExist();
        assertThat(fresh.schemaJournal()).doesNotExist();
        assertThat(fresh.root().resolve(DataDirectory.MARKER)).exists();
    }

    @Test
    void withoutFreshTheDataIsKept() throws Exception {
        Path root = temp.resolve(".parley");
        Files.createDirectories(DataDirectory.prepare(root, false).kafka());

        assertThat(DataDirectory.prepare(root, false).kafka()).isDirectory();
    }

    @Test
    void aFolderLocalModeDidNotMakeIsNeverWiped() throws Exception {
        Path someoneElses = temp.resolve("documents");
        Files.createDirectories(someoneElses);
        Files.writeString(someoneElses.resolve("thesis.txt"), "precious");

        assertThatThrownBy(() -> DataDirectory.prepare(someoneElses, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Refusing to wipe")
                .hasMessageContaining("--data-dir");
        assertThat(someoneElses.resolve("thesis.txt")).hasContent("precious");
    }
}
