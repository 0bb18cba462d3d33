package dev.mandate.terraform.ids;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The resource instances of a Terraform state file (format version 4, Terraform 0.12 and later): what
 * Terraform built, the input of the BUILT layer. Only reads; never writes a state.
 *
 * @param terraformVersion the Terraform version that wrote it
 * @param resources        every instance, managed and data, in file order
 */
public record TerraformState(String terraformVersion, List<Instance> resources) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public TerraformState {
        resources = List.copyOf(resources);
    }

    /**
     * One resource instance.
     *
     * @param address      its address ({@code module.iam.aws_iam_user.this[0]}, {@code data.azurerm_resource_group.x})
     * @param mode         {@code managed} or {@code data}
     * @param type         the resource type
     * @param module       the module address, or {@code null} in the root module
     * @param providerName the provider, as the state names it
     * @param attributes   the instance's attributes
     */
    public record Instance(String address, String mode, String type, String module, String providerName,
            Map<String, Object> attributes) {

        public Instance {
            attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }

        /** Whether Terraform manages it (data sources are only read). */
        public boolean isManaged() {
            return "managed".equals(mode);
        }
    }

    /**
     * Reads a state file.
     *
     * @throws IOException              when it cannot be read or is not JSON
     * @throws IllegalArgumentException when it is not a version 4 state
     */
    public static TerraformState read(InputStream in) throws IOException {
        JsonNode root = MAPPER.readTree(in);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a terraform state is a json object");
        }
        int version = root.path("version").asInt(-1);
        if (version != 4) {
            throw new IllegalArgumentException("unsupported terraform state version '" + root.path("version").asText()
                    + "' (supported: 4)");
        }
        List<Instance> instances = new ArrayList<>();
        for (JsonNode resource : root.path("resources")) {
            String mode = resource.path("mode").asText("managed");
            String type = resource.path("type").asText();
            String name = resource.path("name").asText();
            String module = resource.hasNonNull("module") ? resource.get("module").asText() : null;
            String provider = resource.path("provider").asText(null);
            for (JsonNode instance : resource.path("instances")) {
                StringBuilder address = new StringBuilder();
                if (module != null) {
                    address.append(module).append('.');
                }
                if ("data".equals(mode)) {
                    address.append("data.");
                }
                address.append(type).append('.').append(name);
                JsonNode key = instance.get("index_key");
                if (key != null && key.isNumber()) {
                    address.append('[').append(key.asLong()).append(']');
                } else if (key != null && key.isTextual()) {
                    address.append("[\"").append(key.asText()).append("\"]");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> attributes = instance.has("attributes")
                        ? MAPPER.convertValue(instance.get("attributes"), Map.class) : Map.of();
                instances.add(new Instance(address.toString(), mode, type, module, provider, attributes));
            }
        }
        return new TerraformState(root.path("terraform_version").asText(null), instances);
    }
}
