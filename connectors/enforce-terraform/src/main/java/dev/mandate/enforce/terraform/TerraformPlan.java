package dev.mandate.enforce.terraform;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.terraform.ids.IdContext;

/**
 * A Terraform plan in its JSON form ({@code terraform show -json <planfile>}, format 0.1, 0.2 or 1.x), with
 * who asks to apply it. Immutable. Parsing checks only that it is a JSON object; the adapter checks the rest
 * and says where it is wrong.
 */
public final class TerraformPlan {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Object> document;
    private final Actor actor;
    private final IdContext context;
    private final String justification;

    private TerraformPlan(Map<String, Object> document, Actor actor, IdContext context, String justification) {
        this.document = document;
        this.actor = actor;
        this.context = context == null ? IdContext.EMPTY : context;
        this.justification = justification;
    }

    /**
     * Reads a plan.
     *
     * @throws InvalidChangeException when it is empty, not JSON or not a JSON object (path {@code /})
     */
    public static TerraformPlan parse(InputStream json) throws InvalidChangeException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String reason = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage().split("\n", 2)[0];
            throw new InvalidChangeException("/", "the plan is not valid json" + where + ": " + lower(reason));
        } catch (IOException e) {
            throw new InvalidChangeException("/", "the plan could not be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidChangeException("/", "the plan is empty: send the output of 'terraform show -json <planfile>'");
        }
        if (!root.isObject()) {
            throw new InvalidChangeException("/", "a terraform plan is a json object, not " + root.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> document = MAPPER.convertValue(root, LinkedHashMap.class);
        return new TerraformPlan(Collections.unmodifiableMap(document), null, IdContext.EMPTY, null);
    }

    /** Reads a plan from text. */
    public static TerraformPlan parse(String json) throws InvalidChangeException {
        return parse(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** This plan, asked for by {@code actor} ({@code null}: the adapter's default system actor). */
    public TerraformPlan withActor(Actor actor) {
        return new TerraformPlan(document, actor, context, justification);
    }

    /** This plan, with account, region and subscription that take precedence over the plan's provider configuration. */
    public TerraformPlan withContext(IdContext context) {
        return new TerraformPlan(document, actor, context, justification);
    }

    /** This plan, with the reason the actor gives for applying it. */
    public TerraformPlan withJustification(String justification) {
        return new TerraformPlan(document, actor, context, justification);
    }

    /** The plan document as parsed JSON (maps, lists, strings, numbers, booleans, nulls). */
    public Map<String, Object> document() {
        return document;
    }

    /** Who asks to apply it, or {@code null} for the adapter's default. */
    public Actor actor() {
        return actor;
    }

    /** Account, region and subscription given by the caller; fields may be {@code null}. */
    public IdContext context() {
        return context;
    }

    /** The actor's reason, or {@code null}. */
    public String justification() {
        return justification;
    }

    private static String lower(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
