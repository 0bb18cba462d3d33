package dev.mandate.kernel.reconciler.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * VPC flow logs as AWS delivers them to S3 ({@code AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd/
 * <account>_vpcflowlogs_<region>_<flow log id>_<time>_<hash>.log.gz}, plain or gzip), read with the AWS
 * SDK v2 S3 client over the JDK's URL connection. Each read lists the prefix (ListObjectsV2, page by
 * page) and downloads only objects it has not read before (by key and ETag); objects last modified
 * more than {@code retain} ago are neither read nor reported, so old traffic fades out of the model.
 * What each object held is kept as its tally in a state file (written atomically after every read), so
 * a restart does not download or ingest an object again. Credentials come from the SDK's default
 * chain; the client is built on the first read, on the reconciler's thread. Parquet objects are skipped
 * and counted. Thread-safe.
 */
final class S3FlowSource implements FlowLogSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An object read before: its ETag, when it was last modified, what it held. */
    private record Read(String etag, Instant modified, FlowTally tally) {
    }

    private final String bucket;
    private final String prefix;
    private final Supplier<S3Client> factory;
    private final Path stateFile;
    private final Duration retain;
    private final Clock clock;
    private S3Client client; // guarded by this
    private Map<String, Read> read; // guarded by this; by key, null until loaded
    private long downloads; // guarded by this
    private long skipped; // guarded by this

    S3FlowSource(String bucket, String prefix, Supplier<S3Client> factory, Path stateFile, Duration retain,
            Clock clock) {
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
        this.factory = factory;
        this.stateFile = stateFile;
        this.retain = retain;
        this.clock = clock;
    }

    /** A client for {@code region}, or for an S3-compatible {@code endpoint} (path-style when asked). */
    static Supplier<S3Client> client(String region, String endpoint, boolean pathStyle) {
        return () -> {
            var builder = S3Client.builder()
                    .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                            .socketTimeout(Duration.ofSeconds(60)).build())
                    .region(Region.of(region))
                    .forcePathStyle(pathStyle);
            if (endpoint != null && !endpoint.isBlank()) {
                builder.endpointOverride(URI.create(endpoint));
            }
            return builder.build();
        };
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    /** Objects downloaded since this source was made (tests, status). */
    synchronized long downloads() {
        return downloads;
    }

    @Override
    public synchronized Map<String, FlowTally> read() throws IOException {
        if (read == null) {
            read = load(stateFile);
        }
        Instant oldest = clock.instant().minus(retain);
        Map<String, Read> current = new TreeMap<>();
        boolean changed = false;
        skipped = 0;
        try {
            if (client == null) {
                client = factory.get();
            }
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(
                    ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())) {
                for (S3Object object : page.contents()) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("reading flow logs from '" + location() + "' interrupted");
                    }
                    if (!FlowFormats.supported(object.key())) {
                        skipped++;
                        continue;
                    }
                    if (object.lastModified() != null && object.lastModified().isBefore(oldest)) {
                        continue;
                    }
                    Read before = read.get(object.key());
                    if (before != null && before.etag().equals(String.valueOf(object.eTag()))) {
                        current.put(object.key(), before);
                        continue;
                    }
                    FlowTally tally;
                    try (InputStream in = client.getObject(GetObjectRequest.builder().bucket(bucket)
                            .key(object.key()).ifMatch(object.eTag()).build())) {
                        tally = FlowFormats.tally(object.key(), in);
                    }
                    downloads++;
                    Read now = new Read(String.valueOf(object.eTag()), object.lastModified() == null ? clock.instant()
                            : object.lastModified(), tally);
                    read.put(object.key(), now); // kept even if a later object fails: not downloaded again
                    current.put(object.key(), now);
                    changed = true;
                }
            }
        } catch (AbortedException e) {
            throw new InterruptedIOException("reading flow logs from '" + location() + "' interrupted");
        } catch (SdkException e) {
            throw new IOException("flow logs in '" + location() + "' cannot be read: " + firstLine(e.getMessage()), e);
        }
        if (changed || !current.keySet().equals(read.keySet())) {
            read = new TreeMap<>(current);
            save(stateFile, read);
        }
        Map<String, FlowTally> tallies = new LinkedHashMap<>();
        current.forEach((key, object) -> tallies.put(key, object.tally()));
        return tallies;
    }

    /** Objects under the prefix that are not flow log text (Parquet), at the last read. */
    synchronized long skipped() {
        return skipped;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }

    // state file: {"version":1,"objects":{"<key>":{"etag","modified","accepted","rejected","withoutData",
    // "malformed":[…],"flows":[[src,dst,instance,protocol,dstport,bytes,packets,flows,first,last],…]}}}

    private static Map<String, Read> load(Path file) throws IOException {
        Map<String, Read> objects = new TreeMap<>();
        if (file == null || !Files.exists(file)) {
            return objects;
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("flow log state '" + file + "' is unreadable: " + e.getMessage(), e);
        }
        root.path("objects").fields().forEachRemaining(entry -> {
            JsonNode node = entry.getValue();
            FlowTally tally = new FlowTally();
            tally.accepted = node.path("accepted").asLong();
            tally.rejected = node.path("rejected").asLong();
            tally.withoutData = node.path("withoutData").asLong();
            node.path("malformed").forEach(line -> tally.malformed.add(line.asText()));
            for (JsonNode row : node.path("flows")) {
                FlowTally.Counts counts = new FlowTally.Counts();
                counts.bytes = row.get(5).asLong();
                counts.packets = row.get(6).asLong();
                counts.flows = row.get(7).asLong();
                counts.first = row.get(8).asLong();
                counts.last = row.get(9).asLong();
                tally.flows.put(new FlowTally.Key(text(row.get(0)), text(row.get(1)), text(row.get(2)),
                        text(row.get(3)), text(row.get(4))), counts);
            }
            objects.put(entry.getKey(), new Read(node.path("etag").asText(), Instant.parse(node.path("modified")
                    .asText()), tally));
        });
        return objects;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static void save(Path file, Map<String, Read> objects) throws IOException {
        if (file == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ObjectNode all = root.putObject("objects");
        objects.forEach((key, object) -> {
            ObjectNode node = all.putObject(key);
            node.put("etag", object.etag());
            node.put("modified", object.modified().toString());
            node.put("accepted", object.tally().accepted);
            node.put("rejected", object.tally().rejected);
            node.put("withoutData", object.tally().withoutData);
            ArrayNode malformed = node.putArray("malformed");
            object.tally().malformed.forEach(malformed::add);
            ArrayNode flows = node.putArray("flows");
            object.tally().flows.forEach((flow, counts) -> {
                ArrayNode row = flows.addArray();
                row.add(flow.src()).add(flow.dst()).add(flow.instance()).add(flow.protocol()).add(flow.dstport());
                row.add(counts.bytes).add(counts.packets).add(counts.flows).add(counts.first).add(counts.last);
            });
        });
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(temp.toFile(), root);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Splits {@code s3://bucket/prefix} into bucket and prefix; {@code null} for another location. */
    static List<String> parse(String location) {
        if (location == null || !location.startsWith("s3://")) {
            return null;
        }
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("flow log location '" + location + "' names no bucket");
        }
        List<String> parts = new ArrayList<>();
        parts.add(bucket);
        parts.add(slash < 0 ? "" : rest.substring(slash + 1));
        return parts;
    }
}
