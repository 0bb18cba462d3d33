package dev.mandate.kernel.reconciler.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.Relation;
import dev.mandate.kernel.model.internal.ModelStoreImpl;

/**
 * The estate the flow-log fixtures talk about, and what a flow-log connector observes (the loaded model
 * store itself comes from the model's test jar, {@code LoadedModelStore}).
 */
final class FlowLogFixtures {

    private FlowLogFixtures() {
    }

    /**
     * Commits the elements the VPC flow-log fixtures talk about (their private and public addresses in the
     * attribute shapes connectors write), all in prod, owned by team-web.
     */
    static void flowLogEstate(ModelStoreImpl model) {
        model.commit(new ChangeSet("aws", Layer.RUNNING, List.of(
                element(FlowLogConnectorTest.APP, Map.of("privateIpAddress", "10.0.0.62")),
                element(FlowLogConnectorTest.WEB,
                        Map.of("networkInterfaces", Map.of("privateIpAddress", "10.0.0.71"))),
                element(FlowLogConnectorTest.DB, Map.of("endpoint", Map.of("address", "10.40.2.236"))),
                element(FlowLogConnectorTest.BASTION,
                        Map.of("private_ip", "172.31.16.139", "public_ip", "52.213.180.42")),
                element(FlowLogConnectorTest.TARGET,
                        Map.of("privateIpAddresses", List.of("172.31.16.21", "10.20.33.164")))),
                List.of(), List.of(), List.of()));
    }

    private static Element element(String id, Map<String, Object> attributes) {
        return new Element(id, null, null, "prod", "eu-internal", "team-web", Map.of(), attributes, Map.of());
    }

    /** The relations a flow-log connector reports, in its order; it must report no element and no absence. */
    static List<Relation> relations(FlowLogConnector connector) throws IOException {
        List<Relation> relations = new ArrayList<>();
        connector.collect(new ObservationSink() {
            @Override
            public void element(Element element) {
                throw new AssertionError("flow logs observe no elements");
            }

            @Override
            public void relation(Relation relation) {
                relations.add(relation);
            }

            @Override
            public void absent(String elementId) {
                throw new AssertionError("flow logs confirm no absence");
            }
        });
        return relations;
    }
}
