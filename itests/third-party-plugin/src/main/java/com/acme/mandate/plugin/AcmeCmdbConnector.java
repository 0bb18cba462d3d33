package com.acme.mandate.plugin;

import java.util.Map;

import dev.mandate.api.connector.ConnectorState;
import dev.mandate.api.connector.ConnectorStatus;
import dev.mandate.api.connector.Domain;
import dev.mandate.api.connector.ObservationSink;
import dev.mandate.api.connector.StateConnector;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;

import org.osgi.service.component.annotations.Component;

/** A vendor's connector: three servers in an on-premises CMDB, one depending on another. */
@Component(property = "mandate.connector.interval:Integer=3600")
public class AcmeCmdbConnector implements StateConnector {

    static final String GOLD = "acme:cmdb:server:dc1:srv-001";
    static final String SILVER = "acme:cmdb:server:dc1:srv-102";
    static final String APP = "acme:cmdb:app:dc1:billing";

    private volatile ConnectorStatus status = ConnectorStatus.of(ConnectorState.NOT_READY, "not collected yet");

    @Override
    public String id() {
        return "acme-cmdb";
    }

    @Override
    public Domain domain() {
        return Domain.ONPREM;
    }

    @Override
    public ConnectorStatus status() {
        return status;
    }

    @Override
    public void collect(ObservationSink sink) {
        sink.element(server(GOLD, "srv-001"));
        sink.element(server(SILVER, "srv-102"));
        sink.element(new Element(APP, "acme:cmdb:app", "acme", "prod", "corp", "team-acme", Map.of(),
                Map.of("name", "billing"), Map.of()));
        sink.relation(Relation.of(RelationType.DEPENDS_ON, APP, GOLD));
        status = ConnectorStatus.of(ConnectorState.OK, "3 elements");
    }

    private static Element server(String id, String hostname) {
        return new Element(id, "acme:cmdb:server", "acme", "prod", "corp", "team-acme", Map.of("vendor", "acme"),
                Map.of("hostname", hostname, "name", hostname), Map.of());
    }
}
