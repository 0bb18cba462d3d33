package dev.mandate.kernel.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Static API tokens, of which only the SHA-256 is configured: a presented token is hashed and compared with every
 * entry in constant time, so neither the configuration nor the timing gives a token away. Tokens are meant to be
 * long random strings (a salted slow hash buys nothing against 256 random bits). Immutable; thread-safe.
 */
public final class ApiTokens {

    /** No tokens. */
    public static final ApiTokens NONE = new ApiTokens(List.of());

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** One configured token: who presents it and the groups it carries. */
    record Entry(String caller, byte[] sha256, List<String> groups) {
    }

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads {@code <caller>:sha256:<hex>[:<group> <group> ...]} entries.
     *
     * @throws IllegalArgumentException naming the entry that is wrong (never the hash)
     */
    public static ApiTokens of(String[] configured) {
        List<Entry> entries = new ArrayList<>();
        for (String value : configured == null ? new String[0] : configured) {
            // a .cfg file gives a list as one comma-separated value
            for (String entry : value.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] parts = entry.trim().split(":", 4);
                if (parts.length < 3 || parts[0].isBlank() || !"sha256".equals(parts[1])
                        || !HEX64.matcher(parts[2].toLowerCase(Locale.ROOT)).matches()) {
                    throw new IllegalArgumentException("api token entry of '" + parts[0] + "' is not "
                            + "'<caller>:sha256:<64 hex digits>[:<groups>]'");
                }
                List<String> groups = parts.length == 4 ? List.of(parts[3].trim().split("\\s+")) : List.of();
                entries.add(new Entry(parts[0].trim(), HexFormat.of().parseHex(parts[2].toLowerCase(Locale.ROOT)),
                        groups.stream().filter(g -> !g.isBlank()).toList()));
            }
        }
        return new ApiTokens(entries);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entry of {@code token}, or empty when it is none of them. */
    Optional<Entry> find(String token) {
        byte[] hash = sha256(token);
        Entry found = null;
        for (Entry entry : entries) {
            // every entry is compared, so the time taken does not say which one matched
            if (MessageDigest.isEqual(entry.sha256(), hash) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is not available", impossible);
        }
    }
}
