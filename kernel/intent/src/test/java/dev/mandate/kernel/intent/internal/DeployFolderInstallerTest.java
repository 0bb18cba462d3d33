package dev.mandate.kernel.intent.internal;

import static dev.mandate.kernel.intent.internal.Fixtures.DATA_STORES;
import static dev.mandate.kernel.intent.internal.Fixtures.TEAMS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy folder as Felix FileInstall drives it: {@code canHandle}, then {@code install},
 * {@code update} and {@code uninstall} per file, into a real registry.
 */
class DeployFolderInstallerTest {

    @TempDir
    Path deploy;

    @TempDir
    Path data;

    private final Fixtures.Recorder evidence = new Fixtures.Recorder();
    private final IntentRegistry registry = new IntentRegistry(evidence);
    /** What the intent service does with what the installer hands over, here on the calling thread. */
    private final IntentSources sources = (withdrawn, loaded) -> {
        withdrawn.forEach(registry::withdraw);
        registry.loadAll(loaded);
    };
    private DeployFolderInstaller installer;

    @AfterEach
    void stop() {
        if (installer != null) {
            installer.deactivate();
        }
    }

    @Test
    void handlesYamlThatDeclaresTheMandateApiVersionOnly() throws IOException {
        installer = new DeployFolderInstaller(sources, (Path) null);
        File blueprint = write("data.yaml", DATA_STORES);
        File flow = write("flow.yml", "{apiVersion: \"mandate.dev/v1\", kind: Team}\n");
        File broken = write("broken.yaml", "apiVersion: mandate.dev/v1\nkind: [Blueprint\n");
        File other = write("compose.yaml", "services:\n  web: {image: nginx}\n");
        File later = write("later.yaml", "apiVersion: mandate.dev/v10\n");
        File jar = write("pack.jar", "apiVersion: mandate.dev/v1\n");

        assertThat(installer.canHandle(blueprint)).isTrue();
        assertThat(installer.canHandle(flow)).isTrue();
        assertThat(installer.canHandle(broken)).isTrue();
        assertThat(installer.canHandle(other)).isFalse();
        assertThat(installer.canHandle(later)).isFalse();
        assertThat(installer.canHandle(jar)).isFalse();
        assertThat(installer.canHandle(deploy.resolve("gone.yaml").toFile())).isFalse();
    }

    @Test
    void dropReplaceAndDeleteLoadUpgradeAndWithdrawWithEvidence() throws IOException {
        installer = new DeployFolderInstaller(sources, (Path) null);
        File teams = write("teams.yaml", TEAMS);
        File blueprint = write("data.yaml", DATA_STORES);

        // a blueprint and its owner dropped in together load without a rejection in between
        installer.install(blueprint);
        installer.install(teams);
        installer.flush();
        assertThat(registry.blueprints()).singleElement().satisfies(info -> {
            assertThat(info.version()).isEqualTo("1.0.0");
            assertThat(info.origin()).isEqualTo(FolderWatcher.key(blueprint.toPath()));
        });
        assertThat(evidence.types()).doesNotContain(IntentRegistry.REJECTED);

        write("data.yaml", DATA_STORES.replace("version: 1.0.0", "version: 1.1.0"));
        installer.update(blueprint);
        installer.flush();
        assertThat(registry.blueprints()).singleElement().satisfies(info -> assertThat(info.version())
                .isEqualTo("1.1.0"));

        // a broken replacement is rejected with its location; 1.1.0 stays in force
        write("data.yaml", DATA_STORES.replace("version: 1.0.0", "version: 1.2.0").replace("request.action", "requested.action"));
        installer.update(blueprint);
        installer.flush();
        assertThat(registry.blueprints()).singleElement().satisfies(info -> assertThat(info.version())
                .isEqualTo("1.1.0"));
        assertThat(registry.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.source()).isEqualTo(FolderWatcher.key(blueprint.toPath()));
            assertThat(rejection.problems().get(0).file()).isEqualTo("data.yaml");
            assertThat(rejection.problems().get(0).line()).isEqualTo(9);
            assertThat(rejection.problems().get(0).message()).contains("requested");
        });
        assertThat(evidence.last()).containsEntry("type", IntentRegistry.REJECTED)
                .containsEntry("name", "prod-data-store").containsEntry("version", "1.2.0");

        Files.delete(blueprint.toPath());
        installer.uninstall(blueprint);
        installer.flush();
        assertThat(registry.blueprints()).isEmpty();
        assertThat(registry.rejections()).isEmpty();
        assertThat(evidence.types()).containsSubsequence(IntentRegistry.LOADED, IntentRegistry.REPLACED,
                IntentRegistry.REJECTED, IntentRegistry.WITHDRAWN);
    }

    @Test
    void theFilesAreReadAgainWhenTheInstallerComesBackAndADeletedOneIsStillHandled() throws IOException {
        Path memory = data.resolve("deployed-intent.txt");
        installer = new DeployFolderInstaller(sources, memory);
        File teams = write("teams.yaml", TEAMS);
        File blueprint = write("data.yaml", DATA_STORES);
        installer.install(teams);
        installer.install(blueprint);
        installer.flush();
        installer.deactivate();
        assertThat(Files.readAllLines(memory)).containsExactlyInAnyOrder(teams.getAbsolutePath(),
                blueprint.getAbsolutePath());

        // the intent service restarted: an empty registry, and FileInstall does not offer unchanged files again
        IntentRegistry fresh = new IntentRegistry(evidence);
        installer = new DeployFolderInstaller((withdrawn, loaded) -> {
            withdrawn.forEach(fresh::withdraw);
            fresh.loadAll(loaded);
        }, memory);
        Fixtures.await(() -> fresh.blueprint("prod-data-store").isPresent());

        // deleted while the installer was away: FileInstall asks whether it handles the gone file, then uninstalls it
        Files.delete(blueprint.toPath());
        assertThat(installer.canHandle(blueprint)).isTrue();
        installer.uninstall(blueprint);
        installer.flush();
        assertThat(fresh.blueprints()).isEmpty();
        assertThat(Files.readAllLines(memory)).containsExactly(teams.getAbsolutePath());
    }

    @Test
    void aFileRememberedButDeletedWhileStoppedIsForgotten() throws IOException {
        Path memory = data.resolve("deployed-intent.txt");
        File teams = write("teams.yaml", TEAMS);
        Files.writeString(memory, teams.getAbsolutePath() + "\n" + deploy.resolve("gone.yaml").toAbsolutePath() + "\n");

        installer = new DeployFolderInstaller(sources, memory);

        Fixtures.await(() -> registry.team("team-platform").isPresent());
        Fixtures.await(() -> readLines(memory).equals(List.of(teams.getAbsolutePath())));
        assertThat(installer.canHandle(deploy.resolve("gone.yaml").toFile())).isFalse();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    private File write(String name, String text) throws IOException {
        Path file = deploy.resolve(name);
        Files.writeString(file, text);
        return file.toFile();
    }
}
