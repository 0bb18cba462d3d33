package dev.mandate.tools.tfgate;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of the gate, parsed: the plan, the server, who asks and how the answer is shown.
 *
 * @param plan         the plan file ({@code terraform show -json} output), {@code -} for standard input
 * @param server       the Mandate base URL
 * @param query        the gate's query parameters (actor, kind, team, group …), in order
 * @param token        the bearer token, or {@code null}
 * @param headers      extra request headers ({@code --header 'Name: value'})
 * @param json         print the server's JSON instead of the table
 * @param timeout      how long to wait for the answer
 * @param help         only print the usage
 */
record Options(String plan, URI server, List<Map.Entry<String, String>> query, String token,
        Map<String, String> headers, boolean json, Duration timeout, boolean help) {

    static final String USAGE = """
            usage: java -jar mandate-tf-gate.jar <plan.json|-> --server <url> [options]

            Sends a Terraform plan (terraform show -json <planfile>) to the Mandate plan gate and exits
              0 allow, 1 deny, 2 needs approval, 3 error (server unreachable, malformed plan, bad usage)

            options:
              --server <url>              Mandate base URL, e.g. https://mandate.example (or MANDATE_SERVER)
              --actor <id>                who asks (the pipeline identity); default: the server's SYSTEM actor
              --kind <SYSTEM|HUMAN|AI>    the actor's kind (default SYSTEM)
              --team <team>               the team the actor acts for
              --group <group>             an identity group of the actor (repeatable)
              --assurance <level>         how the actor authenticated (workload-identity, mfa …)
              --agent-model <model>       for --kind AI: the agent's model id
              --prompt-sha256 <hex>       for --kind AI: SHA-256 of the agent's prompt or plan
              --justification <text>      why: a change ticket, a merge request
              --aws-account <12 digits>   where the plan deploys, when the plan does not say
              --aws-region <region>
              --azure-subscription <guid>
              --token <token>             bearer token for the server (or MANDATE_TOKEN)
              --token-file <file>         read the bearer token from a file
              --header <'Name: value'>    an extra request header (repeatable)
              --timeout <seconds>         how long to wait for the answer (default 60)
              --json                      print the server's JSON answer instead of the table
              --help                      this text
            """;

    private static final Map<String, String> QUERY_OPTIONS = Map.ofEntries(Map.entry("--actor", "actor"),
            Map.entry("--kind", "kind"), Map.entry("--team", "team"), Map.entry("--group", "group"),
            Map.entry("--assurance", "assurance"), Map.entry("--agent-model", "agentModel"),
            Map.entry("--prompt-sha256", "promptSha256"), Map.entry("--justification", "justification"),
            Map.entry("--aws-account", "awsAccount"), Map.entry("--aws-region", "awsRegion"),
            Map.entry("--azure-subscription", "azureSubscription"));

    /**
     * Parses the arguments; {@code env} supplies {@code MANDATE_SERVER} and {@code MANDATE_TOKEN}.
     *
     * @throws IllegalArgumentException with a one-line reason when the command line is wrong
     */
    static Options parse(String[] args, Map<String, String> env) {
        String plan = null;
        String server = env.get("MANDATE_SERVER");
        String token = env.get("MANDATE_TOKEN");
        String tokenFile = null;
        List<Map.Entry<String, String>> query = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        boolean json = false;
        Duration timeout = Duration.ofSeconds(60);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> {
                    return new Options(null, null, List.of(), null, Map.of(), false, timeout, true);
                }
                case "--json" -> json = true;
                case "--server" -> server = inline != null ? inline : value(args, ++i, name);
                case "--token" -> token = inline != null ? inline : value(args, ++i, name);
                case "--token-file" -> tokenFile = inline != null ? inline : value(args, ++i, name);
                case "--header" -> {
                    String header = inline != null ? inline : value(args, ++i, name);
                    int colon = header.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("a header is 'Name: value', not '" + header + "'");
                    }
                    headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
                }
                case "--timeout" -> {
                    String seconds = inline != null ? inline : value(args, ++i, name);
                    try {
                        timeout = Duration.ofSeconds(Long.parseLong(seconds));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--timeout takes seconds, not '" + seconds + "'");
                    }
                    if (timeout.isNegative() || timeout.isZero()) {
                        throw new IllegalArgumentException("--timeout must be positive, not '" + seconds + "'");
                    }
                }
                default -> {
                    String parameter = QUERY_OPTIONS.get(name);
                    if (parameter != null) {
                        query.add(Map.entry(parameter, inline != null ? inline : value(args, ++i, name)));
                    } else if (arg.startsWith("-") && !arg.equals("-")) {
                        throw new IllegalArgumentException("unknown option '" + arg + "'");
                    } else if (plan != null) {
                        throw new IllegalArgumentException("one plan at a time: '" + plan + "' and '" + arg + "'");
                    } else {
                        plan = arg;
                    }
                }
            }
        }
        if (plan == null) {
            throw new IllegalArgumentException("the plan is missing: give the file 'terraform show -json' wrote, or '-'");
        }
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("the server is missing: --server <url> or MANDATE_SERVER");
        }
        if (tokenFile != null) {
            token = TokenFile.read(Path.of(tokenFile));
        }
        return new Options(plan, serverUri(server.trim()), List.copyOf(query), token, Map.copyOf(headers), json,
                timeout, false);
    }

    /** The gate's endpoint on the server, with the query. */
    URI gate() {
        String base = server.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String path = base.endsWith("/mandate/v1") ? "/enforce/terraform" : "/mandate/v1/enforce/terraform";
        StringBuilder url = new StringBuilder(base).append(path);
        char separator = '?';
        for (Map.Entry<String, String> parameter : query) {
            url.append(separator).append(parameter.getKey()).append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return URI.create(url.toString());
    }

    private static URI serverUri(String server) {
        try {
            URI uri = new URI(server);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("the server is an http(s) URL, not '" + server + "'");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("the server URL takes no query or fragment: '" + server + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the server is not a URL: '" + server + "'");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
