package dev.mandate.connector.kubernetes.internal;

/**
 * A resource to list, written {@code <group>/<version>/<resource>} ({@code v1/<resource>} for the core group).
 *
 * @param group    the API group, empty for the core group
 * @param version  the version
 * @param resource the plural resource name ({@code deployments})
 */
record ResourceType(String group, String version, String resource) {

    /** Reads {@code apps/v1/deployments} or {@code v1/services}. */
    static ResourceType parse(String text) {
        String[] parts = text.trim().split("/");
        for (String part : parts) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("resource '" + text + "' is not <group>/<version>/<resource>");
            }
        }
        if (parts.length == 2) {
            return new ResourceType("", parts[0], parts[1]);
        }
        if (parts.length == 3) {
            return new ResourceType(parts[0], parts[1], parts[2]);
        }
        throw new IllegalArgumentException("resource '" + text + "' is not <group>/<version>/<resource> (core: v1/<resource>)");
    }

    /** The list path on the API server. */
    String path() {
        return (group.isEmpty() ? "/api/" : "/apis/" + group + "/") + version + "/" + resource;
    }

    @Override
    public String toString() {
        return (group.isEmpty() ? "" : group + "/") + version + "/" + resource;
    }
}
