package dev.mandate.kernel.approvals.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.mandate.api.decision.ActionRequest;

/**
 * The content hash of what an approval request asks for: who asks (id and kind), the change (action,
 * target, before and after, the proposed element's facts) and whom it is addressed to. The
 * justification and the rest of the request context (run ids, admission uids) are left out: a plan
 * submitted again is the same request even when its run id is new.
 */
final class RequestHash {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private RequestHash() {
    }

    static String of(ActionRequest request, List<String> approvers) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("actor", Map.of("id", request.actor().id(), "kind", request.actor().kind().name()));
        content.put("action", request.action().wireName());
        content.put("target", request.target());
        content.put("before", request.before());
        content.put("after", request.after());
        Object proposed = request.context().get("proposed");
        if (proposed != null) {
            content.put("proposed", proposed);
        }
        content.put("approvers", approvers.stream().sorted().toList());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(CANONICAL.writeValueAsString(content).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request cannot be hashed: " + e.getOriginalMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
