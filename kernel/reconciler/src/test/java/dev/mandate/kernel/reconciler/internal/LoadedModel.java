package dev.mandate.kernel.reconciler.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.ModelUnavailableException;
import dev.mandate.api.model.Relation;
import dev.mandate.kernel.jdbc.testing.TestDatabase;
import dev.mandate.kernel.model.internal.ModelStoreImpl;

/** What the reconciler's tests run against: the real model store, loaded, and what a flow-log connector observes. */
final class LoadedModel {

    private LoadedModel() {
    }

    /** The model store on {@code database}, once its start-up load has finished (an assertion error after 20 s). */
    static ModelStoreImpl on(DataSource database) {
        ModelStoreImpl model = new ModelStoreImpl(database, Clock.systemUTC(), 0);
        TestDatabase.await(() -> {
            try {
                model.current();
                return true;
            } catch (ModelUnavailableException e) {
                return false;
            }
        }, Duration.ofSeconds(20), "the model has loaded");
        return model;
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
