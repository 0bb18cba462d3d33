package dev.mandate.terraform.ids;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the shared Terraform fixtures in place (never copies or changes them). */
final class FixtureSupport {

    static final Path FIXTURES = Path.of("/work/shared/fixtures");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One resource as a fixture shows it: address, type and the attributes to map. */
    record Resource(String file, String address, String type, Map<String, Object> attributes) {
    }

    private FixtureSupport() {
    }

    static List<Path> files(String folder, String suffix) {
        try (Stream<Path> files = Files.list(FIXTURES.resolve(folder))) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Resource> stateResources(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<Resource> out = new ArrayList<>();
            for (TerraformState.Instance instance : TerraformState.read(in).resources()) {
                if (instance.isManaged()) {
                    out.add(new Resource(file.getFileName().toString(), instance.address(), instance.type(),
                            instance.attributes()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Managed resource changes of a plan: the prior attributes where there are some, else the planned ones. */
    @SuppressWarnings("unchecked")
    static List<Resource> planResources(Path file) {
        try {
            JsonNode plan = MAPPER.readTree(file.toFile());
            List<Resource> out = new ArrayList<>();
            for (JsonNode change : plan.path("resource_changes")) {
                if (!"managed".equals(change.path("mode").asText("managed"))) {
                    continue;
                }
                JsonNode before = change.path("change").path("before");
                JsonNode after = change.path("change").path("after");
                JsonNode source = before.isObject() ? before : after;
                Map<String, Object> attributes = source.isObject()
                        ? MAPPER.convertValue(source, LinkedHashMap.class) : Map.of();
                out.add(new Resource(file.getFileName().toString(), change.path("address").asText(),
                        change.path("type").asText(), attributes));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
