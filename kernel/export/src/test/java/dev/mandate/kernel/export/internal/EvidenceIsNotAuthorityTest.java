package dev.mandate.kernel.export.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import dev.mandate.kernel.ledger.internal.EvidenceLedgerImpl;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Observability is evidence, not authority (IOM §9): the bundles that record and export evidence
 * import no package through which intent, ownership, the model, decisions, grants or enforcement
 * could be changed, so no evidence path can change them. Read from the bundles' manifests as bnd
 * wrote them.
 */
class EvidenceIsNotAuthorityTest {
    private static final List<String> AUTHORITY = List.of("dev.mandate.api.intent", "dev.mandate.api.model",
            "dev.mandate.api.decision", "dev.mandate.api.grant", "dev.mandate.api.enforcement",
            "dev.mandate.api.connector", "dev.mandate.kernel.intent", "dev.mandate.kernel.model",
            "dev.mandate.kernel.reconciler", "dev.mandate.kernel.decision");

    @ParameterizedTest
    @ValueSource(classes = {EvidenceExporter.class, EvidenceLedgerImpl.class})
    void theEvidenceBundlesImportNothingThatChangesIntentOrOwnership(Class<?> component) throws Exception {
        Manifest manifest = manifestOf(component);
        String symbolicName = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        String imports = manifest.getMainAttributes().getValue("Import-Package");
        assertThat(symbolicName).as("a bundle manifest written by bnd").isNotNull();

        List<String> packages = Arrays.stream(imports.split(",(?=[a-zA-Z])")).map(p -> p.split(";")[0].trim()).toList();

        assertThat(packages).as(symbolicName + " imports").contains("dev.mandate.api.evidence")
                .noneMatch(p -> AUTHORITY.stream().anyMatch(p::startsWith));
    }

    private static Manifest manifestOf(Class<?> type) throws Exception {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            try (InputStream in = Files.newInputStream(location.resolve("META-INF/MANIFEST.MF"))) {
                return new Manifest(in);
            }
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            return jar.getManifest();
        }
    }
}
