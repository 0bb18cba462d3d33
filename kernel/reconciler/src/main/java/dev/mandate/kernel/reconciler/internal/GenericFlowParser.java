package dev.mandate.kernel.reconciler.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the generic flow formats: CSV with a header line, JSON (an array of flow objects) and JSON
 * lines (one object per line). Field names are matched without case, dashes and underscores against
 * the names flow exporters commonly use ({@code src}, {@code source_ip}, {@code dst_port},
 * {@code proto} …) and turned into the VPC flow log fields the connector aggregates ({@code srcaddr},
 * {@code dstaddr}, {@code dstport}, {@code protocol}, {@code bytes}, {@code packets}, {@code start},
 * {@code end}, {@code action}, {@code instance-id}). Times are epoch seconds or ISO-8601; protocols a
 * number or {@code tcp}/{@code udp}/{@code icmp}; an absent action is ACCEPT ({@code allow} and
 * {@code deny} are understood). A record without both addresses is malformed. Stateless, thread-safe.
 */
final class GenericFlowParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> NAMES = new HashMap<>();

    static {
        alias("srcaddr", "srcaddr", "src", "source", "srcip", "sourceip", "sourceaddress", "srcaddress", "clientip");
        alias("dstaddr", "dstaddr", "dst", "destination", "dest", "dstip", "destinationip", "destinationaddress",
                "dstaddress", "destip", "serverip");
        alias("srcport", "srcport", "sourceport", "sport");
        alias("dstport", "dstport", "destinationport", "dport", "port", "destport");
        alias("protocol", "protocol", "proto", "ipprotocol");
        alias("bytes", "bytes", "octets", "bytecount", "totalbytes");
        alias("packets", "packets", "pkts", "packetcount");
        alias("start", "start", "starttime", "firstseen", "timestamp", "time");
        alias("end", "end", "endtime", "lastseen");
        alias("action", "action", "verdict", "decision");
        alias("instance-id", "instanceid");
    }

    private static void alias(String field, String... names) {
        for (String name : names) {
            NAMES.put(name, field);
        }
    }

    static String field(String name) {
        return NAMES.get(name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "").trim());
    }

    /** CSV with a header line (quoted values may hold commas; no embedded line breaks). */
    FlowLogParser.Result parseCsv(BufferedReader reader) throws IOException {
        List<FlowLogParser.Flow> flows = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        String[] header = null;
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> values = csv(line);
            if (header == null) {
                header = new String[values.size()];
                for (int i = 0; i < values.size(); i++) {
                    header[i] = field(values.get(i));
                }
                continue;
            }
            if (values.size() != header.length) {
                malformed.add("line " + number + ": " + values.size() + " values where the header has " + header.length);
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                if (header[i] != null && !values.get(i).isEmpty() && !values.get(i).equals("-")) {
                    fields.put(header[i], values.get(i));
                }
            }
            add(fields, "line " + number, flows, malformed);
        }
        return new FlowLogParser.Result(flows, 0, malformed);
    }

    /** A JSON array of flow objects, or JSON lines (one object per line). */
    FlowLogParser.Result parseJson(BufferedReader reader) throws IOException {
        List<FlowLogParser.Flow> flows = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        try (JsonParser parser = JSON.getFactory().createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                parser.nextToken();
            }
            int index = 0;
            Iterator<JsonNode> records = first == null ? java.util.Collections.emptyIterator()
                    : JSON.readValues(parser, JsonNode.class);
            while (records.hasNext()) {
                index++;
                JsonNode record = records.next();
                if (!record.isObject()) {
                    malformed.add("record " + index + ": not an object");
                    continue;
                }
                Map<String, String> fields = new HashMap<>();
                record.fields().forEachRemaining(entry -> {
                    String name = field(entry.getKey());
                    if (name != null && !entry.getValue().isNull() && !entry.getValue().isContainerNode()) {
                        fields.put(name, entry.getValue().asText());
                    }
                });
                add(fields, "record " + index, flows, malformed);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            malformed.add("not json: " + e.getOriginalMessage());
        }
        return new FlowLogParser.Result(flows, 0, malformed);
    }

    private static void add(Map<String, String> fields, String where, List<FlowLogParser.Flow> flows,
            List<String> malformed) {
        if (fields.get("srcaddr") == null || fields.get("dstaddr") == null) {
            malformed.add(where + ": no source and destination address");
            return;
        }
        String protocol = fields.get("protocol");
        if (protocol != null) {
            fields.put("protocol", switch (protocol.toLowerCase(Locale.ROOT)) {
                case "tcp" -> "6";
                case "udp" -> "17";
                case "icmp" -> "1";
                default -> protocol;
            });
        }
        String action = fields.getOrDefault("action", "ACCEPT").toUpperCase(Locale.ROOT);
        fields.put("action", switch (action) {
            case "ALLOW", "ALLOWED", "ACCEPTED", "PERMIT" -> "ACCEPT";
            case "DENY", "DENIED", "DROP", "REJECTED", "BLOCK" -> "REJECT";
            default -> action;
        });
        for (String time : List.of("start", "end")) {
            String value = fields.get(time);
            if (value != null && !value.chars().allMatch(Character::isDigit)) {
                try {
                    fields.put(time, String.valueOf(Instant.parse(value).getEpochSecond()));
                } catch (DateTimeParseException e) {
                    fields.remove(time);
                }
            }
        }
        flows.add(new FlowLogParser.Flow(fields));
    }

    private static List<String> csv(String line) {
        List<String> values = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    value.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    value.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                values.add(value.toString().trim());
                value.setLength(0);
            } else {
                value.append(c);
            }
        }
        values.add(value.toString().trim());
        return values;
    }
}
