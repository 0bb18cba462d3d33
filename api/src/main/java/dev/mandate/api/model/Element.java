package dev.mandate.api.model;

import java.util.Map;

/**
 * One thing that exists: an account, a VPC, a VM, a database, a user, a switch.
 *
 * <p>Immutable. {@link #attributes()} is the effective view (RUNNING where observed, else BUILT,
 * else INTENDED); {@link #layers()} keeps each layer with its source and observation time.
 *
 * @param id          stable URN {@code provider:service:type:...:native-id}, see {@link ElementIds}
 * @param kind        {@code provider:service:type}, e.g. {@code aws:rds:db-instance}
 * @param provider    {@code aws}, {@code azure}, {@code network}, {@code identity}, {@code vsphere} …
 * @param environment {@code prod}, {@code staging}, {@code dev} … or {@code null} when not known
 * @param trustZone   the trust zone the element sits in, or {@code null}
 * @param owner       the accountable owner's team id, or {@code null} where none is declared
 * @param labels      free labels (tags)
 * @param attributes  the effective attributes
 * @param layers      each layer this element has, with its provenance
 */
public record Element(String id, String kind, String provider, String environment, String trustZone,
        String owner, Map<String, String> labels, Map<String, Object> attributes, Map<Layer, LayerState> layers) {

    public Element {
        labels = Immutables.map(labels);
        attributes = Immutables.map(attributes);
        layers = Immutables.map(layers);
    }

    /** Whether an accountable owner is declared. */
    public boolean hasOwner() {
        return owner != null && !owner.isBlank();
    }
}
