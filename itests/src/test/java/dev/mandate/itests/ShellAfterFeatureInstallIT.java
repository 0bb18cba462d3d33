package dev.mandate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * The mandate:* commands keep answering right after a feature is installed the way an operator does it
 * ({@code feature:install} in the shell, bundles refreshed as needed): installing a blueprint pack or a
 * connector must not refresh the kernel or the shell bundle, which would take the commands away while
 * they restart ("Command not found").
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellAfterFeatureInstallIT extends MandateTestSupport {

    private static final List<String> WATCHED = List.of("dev.mandate.kernel.shell", "dev.mandate.kernel.reconciler",
            "dev.mandate.kernel.intent");

    @Test
    public void driftAnswersRightAfterFeatureInstallsWithoutTheKernelOrShellRestarting() throws Exception {
        poll("mandate:drift answering", () -> executeCommand("mandate:drift --limit 1"),
                printed -> printed.contains("findings at revision"));
        List<String> stopped = new ArrayList<>();
        SynchronousBundleListener listener = event -> {
            String name = event.getBundle().getSymbolicName();
            if (name != null && name.startsWith("dev.mandate") && (event.getType() == BundleEvent.STOPPING
                    || event.getType() == BundleEvent.UNRESOLVED || event.getType() == BundleEvent.UPDATED)) {
                synchronized (stopped) {
                    stopped.add(name + " " + (event.getType() == BundleEvent.STOPPING ? "stopping"
                            : event.getType() == BundleEvent.UPDATED ? "updated" : "unresolved"));
                }
            }
        };
        bundleContext.addBundleListener(listener);
        try {
            // as DriftIT installs a pack (no refresh of other bundles), then as an operator does in the shell
            installAndAssertFeature("mandate-blueprints-data-residency");
            String first = executeCommand("mandate:drift --limit 1");
            assertFalse("after mandate-blueprints-data-residency: " + first,
                    first.toLowerCase().contains("command not found"));
            for (String feature : List.of("mandate-blueprints-aws-landing-zone", "mandate-connector-terraform-state",
                    "mandate-evidence-s3")) {
                String installed = executeCommand("feature:install " + feature);
                assertFalse(installed, installed.toLowerCase().contains("error"));
                String drift = executeCommand("mandate:drift --limit 1");
                assertFalse("after " + feature + ": " + drift, drift.toLowerCase().contains("command not found"));
                assertTrue("after " + feature + ": " + drift, drift.contains("findings at revision"));
                String routes = executeCommand("mandate:routes");
                assertFalse("after " + feature + ": " + routes, routes.toLowerCase().contains("command not found"));
            }
        } finally {
            bundleContext.removeBundleListener(listener);
        }
        synchronized (stopped) {
            assertEquals("kernel or shell bundles restarted by a feature install", List.of(), stopped);
        }
        for (String name : WATCHED) {
            for (Bundle bundle : bundleContext.getBundles()) {
                if (name.equals(bundle.getSymbolicName())) {
                    assertEquals(name, Bundle.ACTIVE, bundle.getState());
                }
            }
        }
    }
}
