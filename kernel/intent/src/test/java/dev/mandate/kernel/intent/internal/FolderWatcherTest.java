package dev.mandate.kernel.intent.internal;

import static dev.mandate.kernel.intent.internal.Fixtures.DATA_STORES;
import static dev.mandate.kernel.intent.internal.Fixtures.TEAMS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWatcherTest {

    @TempDir
    Path folder;

    private final Fixtures.Recorder evidence = new Fixtures.Recorder();
    private final IntentRegistry registry = new IntentRegistry(evidence);

    @Test
    void loadsNewFilesReloadsChangedOnesAndWithdrawsRemovedOnes() throws IOException {
        FolderWatcher watcher = new FolderWatcher(folder, registry);
        Files.writeString(folder.resolve("teams.yaml"), TEAMS);
        Files.writeString(folder.resolve("data.yml"), DATA_STORES);
        Files.writeString(folder.resolve("notes.txt"), "not intent");

        watcher.scan();
        assertThat(registry.blueprints()).singleElement().satisfies(info -> {
            assertThat(info.version()).isEqualTo("1.0.0");
            assertThat(info.origin()).isEqualTo("file:" + folder.resolve("data.yml").toAbsolutePath().normalize());
        });

        Path data = folder.resolve("data.yml");
        Files.writeString(data, DATA_STORES.replace("version: 1.0.0", "version: 1.0.1"));
        Files.setLastModifiedTime(data, FileTime.from(Instant.now().plusSeconds(5)));
        watcher.scan();
        assertThat(registry.blueprints()).singleElement().satisfies(info -> assertThat(info.version())
                .isEqualTo("1.0.1"));

        Files.delete(data);
        watcher.scan();
        assertThat(registry.blueprints()).isEmpty();
        assertThat(evidence.types()).containsExactly(IntentRegistry.LOADED, IntentRegistry.REPLACED,
                IntentRegistry.WITHDRAWN);
    }

    @Test
    void aBrokenFileIsRejectedAndTheOthersLoad() throws IOException {
        FolderWatcher watcher = new FolderWatcher(folder, registry);
        Files.writeString(folder.resolve("teams.yaml"), TEAMS);
        Files.writeString(folder.resolve("broken.yaml"), "kind: [Blueprint\n");

        watcher.scan();

        assertThat(registry.teams()).hasSize(1);
        assertThat(registry.rejectedSources()).containsExactly(FolderWatcher.key(folder.resolve("broken.yaml")));
    }

    @Test
    void aMissingFolderLoadsNothingUntilItAppears() throws IOException {
        Path later = folder.resolve("later");
        FolderWatcher watcher = new FolderWatcher(later, registry);

        watcher.scan();
        assertThat(registry.teams()).isEmpty();

        Files.createDirectories(later);
        Files.writeString(later.resolve("teams.yaml"), TEAMS);
        watcher.scan();
        assertThat(registry.teams()).hasSize(1);

        watcher.withdrawAll();
        assertThat(registry.teams()).isEmpty();
    }
}
