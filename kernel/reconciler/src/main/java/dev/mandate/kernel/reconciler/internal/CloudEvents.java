package dev.mandate.kernel.reconciler.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mandate.api.evidence.EvidenceRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Evidence records as CloudEvents 1.0 in structured JSON mode: {@code id} the record's hash (a
 * receiver can drop an event it already has by it), {@code type} {@code dev.mandate.<record type>},
 * {@code subject} the element (or target, or finding id) the record is about, {@code time} the
 * record's time, {@code data} its payload, extensions {@code mandatesequence} and
 * {@code mandaterevision}. Stateless and thread-safe.
 */
public final class CloudEvents {
    /** The media type of one event in structured mode. */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudEvents() {
    }

    /** The record as a CloudEvent from {@code source}, in structured JSON mode. */
    public static String event(EvidenceRecord record, String source) throws JsonProcessingException {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", record.hash());
        event.put("source", source);
        event.put("type", type(record));
        String subject = subject(record);
        if (subject != null) {
            event.put("subject", subject);
        }
        event.put("time", record.timestamp().toString());
        event.put("datacontenttype", "application/json");
        event.put("mandatesequence", record.sequence());
        event.put("mandaterevision", record.modelRevision());
        event.put("data", record.payload());
        return JSON.writeValueAsString(event);
    }

    /** The event type of a record: {@code dev.mandate.<record type>}. */
    public static String type(EvidenceRecord record) {
        return "dev.mandate." + record.type();
    }

    /** What the record is about: its element, else its target, else its id; {@code null} when none. */
    public static String subject(EvidenceRecord record) {
        Object subject = record.payload().get("element");
        if (subject == null) {
            subject = record.payload().get("target");
        }
        if (subject == null) {
            subject = record.payload().get("id");
        }
        return subject == null ? null : String.valueOf(subject);
    }

    /**
     * The message headers for endpoint {@code uri}: the structured-mode content type everywhere
     * (camel-http sends it as {@code Content-Type}, camel-kafka as a record header, which is the
     * CloudEvents Kafka binding's structured mode), POST for http, the subject as the Kafka key (events
     * about one element stay in one partition, in order) and a mail subject line.
     */
    public static Map<String, Object> headers(String uri, EvidenceRecord record) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("Content-Type", CONTENT_TYPE);
        String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')) : uri;
        String subject = subject(record);
        switch (scheme) {
            case "http", "https" -> headers.put("CamelHttpMethod", "POST");
            case "kafka" -> {
                if (subject != null) {
                    headers.put("CamelKafkaKey", subject);
                }
            }
            case "smtp", "smtps" -> headers.put("Subject", "[mandate] " + type(record)
                    + (subject == null ? "" : " " + subject));
            default -> {
                // log and others take the body as it is
            }
        }
        return headers;
    }
}
