package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.Repository;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/** The assembled distribution boots, every Mandate feature installs, every bundle starts, the shell answers. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT extends MandateTestSupport {

    /** Bundles the distribution boots with, whatever else the default features bring. */
    private static final Set<String> BOOT_BUNDLES = Set.of("dev.mandate.api", "dev.mandate.kernel.model",
            "dev.mandate.kernel.ledger", "dev.mandate.kernel.reconciler", "dev.mandate.kernel.intent",
            "dev.mandate.kernel.decision", "dev.mandate.kernel.rest", "dev.mandate.kernel.shell",
            "dev.mandate.connector.file", "dev.mandate.blueprints.baseline");

    @Test
    public void everyFeatureOfTheMandateRepositoryInstalls() throws Exception {
        Repository repository = Arrays.stream(featuresService.listRepositories())
                .filter(candidate -> candidate.getName().startsWith("mandate-"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mandate features repository is registered"));
        List<String> names = Arrays.stream(repository.getFeatures()).map(Feature::getName).sorted().toList();
        assertTrue("the mandate repository lacks the default feature set: " + names,
                names.containsAll(List.of("mandate", "mandate-api", "mandate-kernel", "mandate-rest", "mandate-shell",
                        "mandate-connector-file", "mandate-blueprints-baseline", "mandate-jackson",
                        "mandate-jdbc-h2", "mandate-jdbc-postgresql", "mandate-jaxrs")));
        // the distribution boots the default set (one feature at a time, see its pom): whatever `mandate` lists
        for (var dependency : featuresService.getFeature("mandate").getDependencies()) {
            assertTrue("the distribution does not boot '" + dependency.getName() + "', part of the default set",
                    isFeatureInstalled(dependency.getName()));
        }
        for (String name : names) {
            installAndAssertFeature(name);
        }
        assertEquals("bundles the distribution does not carry in system/ (it would download them)", Set.of(),
                bundlesNotInTheDistribution());
    }

    @Test
    public void everyBundleIsActive() {
        Set<String> notActive = poll("every bundle active", this::bundlesNotActive, Set::isEmpty);
        assertEquals(Set.of(), notActive);
        Set<String> installed = Arrays.stream(bundleContext.getBundles())
                .map(Bundle::getSymbolicName)
                .collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>(BOOT_BUNDLES);
        missing.removeAll(installed);
        assertEquals("mandate bundles missing from the distribution", Set.of(), missing);
    }

    @Test
    public void mandateStatusAnswers() {
        String output = poll("mandate:status answering", () -> executeCommand("mandate:status"),
                printed -> printed.contains("revision"));
        assertFalse(output, output.toLowerCase().contains("command not found"));
        assertTrue(output, output.matches("(?s).*model\\s+(revision \\d+|unavailable).*"));
    }

    /**
     * The distribution is offline: every bundle must come from its system/ folder. Pax Exam's own
     * bundles (feature "exam") and its probe are the exception; they come from the Maven local repository.
     */
    private Set<String> bundlesNotInTheDistribution() throws Exception {
        Set<String> exam = new TreeSet<>();
        collectBundles("exam", exam);
        Path system = Path.of(System.getProperty("karaf.home"), "system");
        Set<String> missing = new TreeSet<>();
        for (Bundle bundle : bundleContext.getBundles()) {
            String location = bundle.getLocation();
            int mvn = location.indexOf("mvn:");
            if (mvn < 0 || exam.contains(location)) {
                continue;
            }
            String url = location.substring(mvn).split("\\$", 2)[0];
            if (!Files.isRegularFile(system.resolve(repositoryPath(url)))) {
                missing.add(location);
            }
        }
        return missing;
    }

    private void collectBundles(String featureName, Set<String> locations) throws Exception {
        for (Feature feature : featuresService.getFeatures(featureName)) {
            feature.getBundles().forEach(bundle -> locations.add(bundle.getLocation()));
            for (var dependency : feature.getDependencies()) {
                collectBundles(dependency.getName(), locations);
            }
        }
    }

    /** {@code mvn:group/artifact/version[/type[/classifier]]} to its path in a Maven repository layout. */
    static String repositoryPath(String mvnUrl) {
        String[] parts = mvnUrl.substring("mvn:".length()).split("/");
        String group = parts[0];
        String artifact = parts[1];
        String version = parts[2];
        String type = parts.length > 3 && !parts[3].isEmpty() ? parts[3] : "jar";
        String classifier = parts.length > 4 && !parts[4].isEmpty() ? "-" + parts[4] : "";
        return group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-" + version + classifier
                + "." + type;
    }

    private Set<String> bundlesNotActive() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(bundle -> bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .filter(bundle -> bundle.getState() != Bundle.ACTIVE)
                .map(bundle -> bundle.getSymbolicName() + " " + state(bundle.getState()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "ACTIVE";
        };
    }
}
