package dev.mandate.enforce.terraform.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The hosts a run task request may send the run's access token to: HCP Terraform ({@code app.terraform.io}) and
 * the Terraform Enterprise hosts an operator names. A run task request names its own plan and callback URLs, and
 * the token goes with them; the request's HMAC only proves it was signed with the key, so a leaked key (or a
 * workspace pointed at the wrong key) must not turn the gate into a token forwarder. A URL passes only when its
 * host is one of these, exactly (no suffix or wildcard match), it has no user info, and its scheme is https
 * (http only when explicitly allowed, for tests against a local server). Immutable; thread-safe.
 */
final class TerraformHosts {

    /** HCP Terraform. */
    static final String HCP_TERRAFORM = "app.terraform.io";

    private final Set<String> hosts;
    private final boolean allowHttp;

    TerraformHosts(Set<String> hosts, boolean allowHttp) {
        this.hosts = Collections.unmodifiableSet(new LinkedHashSet<>(hosts));
        this.allowHttp = allowHttp;
    }

    /**
     * From configuration: the entries (a {@code .cfg} list may arrive as one comma-separated value), each a bare
     * host name.
     *
     * @throws IllegalArgumentException naming an entry that is no host name
     */
    static TerraformHosts of(String[] entries, boolean allowHttp) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String value : entries == null ? new String[0] : entries) {
            for (String entry : value.split(",")) {
                String host = entry.trim().toLowerCase(Locale.ROOT);
                if (host.isEmpty()) {
                    continue;
                }
                if (host.contains("/") || host.contains(":") || host.contains("@") || host.contains("*")) {
                    throw new IllegalArgumentException("terraform host '" + entry.trim() + "' is no bare host name "
                            + "(no scheme, port, path or wildcard)");
                }
                hosts.add(host);
            }
        }
        return new TerraformHosts(hosts, allowHttp);
    }

    Set<String> hosts() {
        return hosts;
    }

    /** Why the token may not be sent to {@code url}, or empty when it may. */
    Optional<String> refusal(String field, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of(field + " '" + url + "' is no url");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !("http".equals(scheme) && allowHttp)) {
            return Optional.of(field + " '" + url + "' is not https");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of(field + " '" + url + "' carries user info");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!hosts.contains(host)) {
            return Optional.of(field + " '" + url + "' names host '" + host + "', which is not a configured "
                    + "terraform host (" + String.join(", ", hosts) + ")");
        }
        return Optional.empty();
    }
}
