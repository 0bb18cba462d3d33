package com.acme.mandate.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mandate.api.decision.Action;
import dev.mandate.api.decision.ActionRequest;
import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.decision.Decision;
import dev.mandate.api.enforcement.EnforcementAdapter;
import dev.mandate.api.enforcement.InvalidChangeException;

import org.osgi.service.component.annotations.Component;

/** A vendor's change format: one "action target" per line, from the vendor's release tool. */
@Component(service = {EnforcementAdapter.class, AcmeChangeAdapter.class})
public class AcmeChangeAdapter implements EnforcementAdapter<String, Map<String, Object>> {

    @Override
    public String id() {
        return "acme-release";
    }

    @Override
    public List<ActionRequest> toRequests(String input) throws InvalidChangeException {
        List<ActionRequest> requests = new ArrayList<>();
        String[] lines = input.strip().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String[] parts = lines[i].trim().split("\\s+");
            if (parts.length != 2) {
                throw new InvalidChangeException("/" + i, "expected 'action target', got '" + lines[i] + "'");
            }
            try {
                requests.add(ActionRequest.of(new Actor("acme-release-bot", ActorKind.SYSTEM, "team-acme", List.of(),
                        null, "workload-identity"), Action.parse(parts[0]), parts[1], "acme release"));
            } catch (IllegalArgumentException e) {
                throw new InvalidChangeException("/" + i, e.getMessage());
            }
        }
        return requests;
    }

    @Override
    public Map<String, Object> toResponse(String input, List<Decision> decisions) {
        Map<String, Object> response = new LinkedHashMap<>();
        List<String> outcomes = new ArrayList<>();
        decisions.forEach(decision -> outcomes.add(decision.outcome().name()));
        response.put("outcomes", outcomes);
        return response;
    }
}
