package dev.mandate.benchmarks.decision;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A load test of {@code POST /mandate/v1/decisions} over HTTP against a running distribution, with
 * the evidence it records durable (the distribution's ledger commits each decision before answering).
 *
 * <p>Reads the elements the model holds ({@code GET /mandate/v1/elements}), builds a fixed mix of
 * action requests on them (humans, systems and AI agents; read, update, restart, scale, delete,
 * access-grant), then runs {@code --clients} concurrent clients, each sending its next request as
 * soon as the previous answer arrived (closed loop, HTTP/1.1 keep-alive), for {@code --warmup}
 * seconds unmeasured and {@code --duration} seconds measured. Reports decisions/s and the latency
 * distribution (HdrHistogram, microsecond resolution) of every answer in the measured window, the
 * HTTP statuses and the outcomes. Any status other than 200 is counted and shown.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.mandate.benchmarks.decision.HttpDecisionLoad \
 *     --url http://localhost:8181 --clients 16 --warmup 15 --duration 30 [--server-pid PID]
 * </pre>
 *
 * <p>With {@code --server-pid} (a server on the same Linux machine) it also reports the server's CPU time per
 * decision over the measured window, by thread group: the figure to compare on a machine shared with other work.
 * With {@code --raw} each client speaks HTTP/1.1 over its own socket instead of through java.net.http, which
 * costs the load generator several times less CPU per request (it shares the server's cores).
 */
public final class HttpDecisionLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ACTIONS = {"read", "update", "restart", "scale", "delete", "access-grant", "update",
            "read"};

    private HttpDecisionLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String url = options.getOrDefault("url", "http://localhost:8181");
        int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "15"));
        int duration = Integer.parseInt(options.getOrDefault("duration", "30"));
        boolean dryRun = Boolean.parseBoolean(options.getOrDefault("dry-run", "false"));

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<Map<String, String>> elements = elements(http, url);
        if (elements.isEmpty()) {
            throw new IllegalStateException("the model at '" + url + "' holds no elements yet: wait for the demo estate");
        }
        List<String> bodies = bodies(elements);
        URI decisions = URI.create(url + "/mandate/v1/decisions" + (dryRun ? "?dryRun=true" : ""));
        System.out.printf("%d elements, %d distinct requests, %d clients, %d s warm-up, %d s measured, dryRun=%s; "
                + "load average before: %s%n", elements.size(), bodies.size(), clients, warmup, duration, dryRun,
                loadAverage());

        boolean raw = Boolean.parseBoolean(options.getOrDefault("raw", "false"));
        Client[] running = run(http, decisions, bodies, clients, warmup, false, raw);
        String serverPid = options.get("server-pid");
        Map<String, Long> cpuBefore = serverPid == null ? Map.of() : serverCpu(serverPid);
        Client[] measured = run(http, decisions, bodies, clients, duration, true, raw);
        Map<String, Long> cpuAfter = serverPid == null ? Map.of() : serverCpu(serverPid);

        Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        Map<String, Long> statuses = new TreeMap<>();
        Map<String, Long> outcomes = new TreeMap<>();
        long errors = 0;
        for (Client client : measured) {
            all.add(client.latency);
            client.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
            client.outcomes.forEach((k, v) -> outcomes.merge(k, v, Long::sum));
            errors += client.errors;
        }
        long count = all.getTotalCount();
        System.out.printf("decisions: %d in %d s = %,.0f decisions/s (%d clients); load average after: %s%n", count,
                duration, count / (double) duration, clients, loadAverage());
        System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f%n",
                ms(all.getValueAtPercentile(50)), ms(all.getValueAtPercentile(90)), ms(all.getValueAtPercentile(99)),
                ms(all.getValueAtPercentile(99.9)), ms(all.getMaxValue()), all.getMean() / 1000);
        System.out.printf("HTTP statuses %s, outcomes %s, transport errors %d (warm-up: %d decisions)%n", statuses,
                outcomes, errors, total(running));
        if (serverPid != null && count > 0) {
            StringBuilder line = new StringBuilder("server CPU per decision (ms) over the measured window:");
            cpuAfter.forEach((group, ticks) -> {
                long used = ticks - cpuBefore.getOrDefault(group, 0L);
                if (used > 0) {
                    line.append(String.format(" %s %.3f", group, used * 10.0 / count));
                }
            });
            System.out.println(line);
        }
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static long total(Client[] clients) {
        long sum = 0;
        for (Client client : clients) {
            sum += client.latency.getTotalCount();
        }
        return sum;
    }

    /** One closed-loop client: sends, waits for the answer, records it, sends the next. */
    private static final class Client implements Runnable {
        final HttpClient http;
        final URI uri;
        final List<String> bodies;
        final AtomicBoolean stop;
        final CountDownLatch done;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        final Map<String, Long> statuses = new TreeMap<>();
        final Map<String, Long> outcomes = new TreeMap<>();
        long errors;
        int next;
        boolean raw;
        private RawConnection connection;

        Client(HttpClient http, URI uri, List<String> bodies, int offset, AtomicBoolean stop, CountDownLatch done) {
            this.http = http;
            this.uri = uri;
            this.bodies = bodies;
            this.next = offset;
            this.stop = stop;
            this.done = done;
        }

        /** One request over this client's own keep-alive socket; a broken connection is counted and opened again. */
        void sendRaw(String body) {
            long start = System.nanoTime();
            try {
                if (connection == null) {
                    connection = new RawConnection(uri);
                }
                RawConnection.Answer answer = connection.post(body);
                long micros = Math.max(1, (System.nanoTime() - start) / 1000);
                latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                statuses.merge(Integer.toString(answer.status()), 1L, Long::sum);
                outcomes.merge(outcome(answer.body()), 1L, Long::sum);
            } catch (IOException e) {
                errors++;
                if (connection != null) {
                    connection.close();
                    connection = null;
                }
            }
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    String body = bodies.get(next);
                    next = next + 1 == bodies.size() ? 0 : next + 1;
                    if (raw) {
                        sendRaw(body);
                        continue;
                    }
                    HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                            .header("Content-Type", "application/json").header("Accept", "application/json")
                            .timeout(Duration.ofSeconds(30)).build();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long micros = Math.max(1, (System.nanoTime() - start) / 1000);
                        latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                        statuses.merge(Integer.toString(response.statusCode()), 1L, Long::sum);
                        outcomes.merge(outcome(response.body()), 1L, Long::sum);
                    } catch (IOException e) {
                        errors++;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.countDown();
            }
        }
    }

    /**
     * HTTP/1.1 over a plain socket, for {@code --raw}: the request written as bytes, the answer's status, headers
     * and body (Content-Length or chunked) read back. Much less CPU per request than java.net.http, which matters
     * when the load generator shares the server's cores.
     */
    static final class RawConnection {
        record Answer(int status, String body) {
        }

        private final java.net.Socket socket;
        private final java.io.InputStream in;
        private final java.io.OutputStream out;
        private final byte[] head;

        RawConnection(URI uri) throws IOException {
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            socket = new java.net.Socket(uri.getHost(), port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 16384);
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            head = ("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
                    + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        Answer post(String body) throws IOException {
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.write(head);
            out.write((bytes.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            String status = line();
            if (status == null || !status.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream(1024);
            if (chunked) {
                for (int size = Integer.parseInt(chunkSize(line()), 16); size > 0;
                        size = Integer.parseInt(chunkSize(line()), 16)) {
                    answer.write(in.readNBytes(size));
                    line();
                }
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    // trailers: none expected
                }
            } else if (length >= 0) {
                answer.write(in.readNBytes((int) length));
            } else {
                throw new IOException("an answer without a length");
            }
            if (close) {
                throw new IOException("the server closed the connection");
            }
            return new Answer(code, answer.toString(java.nio.charset.StandardCharsets.UTF_8));
        }

        private static String chunkSize(String line) throws IOException {
            if (line == null) {
                throw new IOException("the connection ended inside a chunked answer");
            }
            int extension = line.indexOf(';');
            return (extension < 0 ? line : line.substring(0, extension)).trim();
        }

        /** One header line without its CRLF; null at the end of the stream. */
        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) c);
            }
            return line.length() == 0 ? null : line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a broken connection
            }
        }
    }

    private static String outcome(String body) {
        int at = body.indexOf("\"outcome\":\"");
        if (at < 0) {
            return "none";
        }
        int from = at + 11;
        int to = body.indexOf('"', from);
        return to < 0 ? "none" : body.substring(from, to);
    }

    private static Client[] run(HttpClient http, URI uri, List<String> bodies, int clients, int seconds,
            boolean measured, boolean raw) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(clients);
        Client[] all = new Client[clients];
        for (int i = 0; i < clients; i++) {
            all[i] = new Client(http, uri, bodies, (int) ((long) i * bodies.size() / clients), stop, done);
            all[i].raw = raw;
            Thread thread = new Thread(all[i], (measured ? "load-" : "warmup-") + i);
            thread.setDaemon(true);
            thread.start();
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the load's duration: a measurement window, not a wait for a condition
        stop.set(true);
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("clients did not stop within 60 s");
        }
        return all;
    }

    /** Every element the model holds (id, kind, owner, environment), page by page. */
    private static List<Map<String, String>> elements(HttpClient http, String url) throws Exception {
        List<Map<String, String>> elements = new ArrayList<>();
        String cursor = null;
        do {
            URI uri = URI.create(url + "/mandate/v1/elements?limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            JsonNode page = JSON.readTree(response.body());
            for (JsonNode item : page.path("items")) {
                elements.add(Map.of("id", item.path("id").asText(), "owner", item.path("owner").asText(""),
                        "environment", item.path("environment").asText("")));
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null && elements.size() < 20_000);
        return elements;
    }

    /**
     * A fixed mix over the elements: for each element and action, one human of the owning team, one
     * human of another team, a deployment system and an AI agent (with its model and prompt hash).
     */
    private static List<String> bodies(List<Map<String, String>> elements) throws IOException {
        List<String> bodies = new ArrayList<>();
        int i = 0;
        for (Map<String, String> element : elements) {
            for (int a = 0; a < 4; a++) {
                String action = ACTIONS[(i + a) % ACTIONS.length];
                String owner = element.get("owner").isEmpty() ? "team-platform" : element.get("owner");
                Map<String, Object> actor = switch ((i + a) % 4) {
                    case 0 -> Map.of("id", "alice-" + owner, "kind", "HUMAN", "team", owner, "groups", List.of(owner),
                            "assurance", "mfa");
                    case 1 -> Map.of("id", "bob", "kind", "HUMAN", "team", "team-other", "groups", List.of("team-other"),
                            "assurance", "password");
                    case 2 -> Map.of("id", "deployer", "kind", "SYSTEM", "team", owner, "groups", List.of(owner));
                    default -> Map.of("id", "agent-7", "kind", "AI", "agent",
                            Map.of("model", "claude-x", "promptSha256", "9f2c" + "0".repeat(60)));
                };
                Map<String, Object> request = new TreeMap<>();
                request.put("actor", actor);
                request.put("action", action);
                request.put("target", element.get("id"));
                request.put("justification", "load test " + i);
                if ("update".equals(action)) {
                    request.put("after", Map.of("tags", Map.of("load-test", "true")));
                }
                bodies.add(JSON.writeValueAsString(request));
            }
            i++;
        }
        return bodies;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The CPU time (clock ticks of 10 ms) the server's threads have used, from {@code /proc/<pid>/task/<tid>/stat}:
     * {@code all}, {@code request} (Jetty's {@code qtp} threads), {@code jit}, {@code gc} and {@code other}. Threads
     * that ended in between are missing from the second reading, so a group can read low; {@code all} is the
     * process's own counter and includes them.
     */
    private static Map<String, Long> serverCpu(String pid) throws IOException {
        Map<String, Long> groups = new TreeMap<>();
        groups.put("all", ticks(Files.readString(Path.of("/proc", pid, "stat"))));
        try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String group = name.startsWith("qtp") ? "request" : name.startsWith("C1 ") || name.startsWith("C2 ")
                            ? "jit" : name.startsWith("GC ") || name.startsWith("G1 ") ? "gc" : "other";
                    groups.merge(group, ticks(Files.readString(task.resolve("stat"))), Long::sum);
                } catch (IOException e) {
                    // the thread ended while being read
                }
            }
        }
        return groups;
    }

    /** utime + stime of a {@code stat} line (fields 14 and 15, after the parenthesised name). */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "' (options: --url, --clients, "
                        + "--warmup, --duration, --dry-run, --server-pid, --raw)");
            }
            String name = args[i].substring(2);
            if (("dry-run".equals(name) || "raw".equals(name)) && (i + 1 == args.length || args[i + 1].startsWith("--"))) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("option '" + args[i] + "' needs a value");
            }
        }
        return options;
    }
}
