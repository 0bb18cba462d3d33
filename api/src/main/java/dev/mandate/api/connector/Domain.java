package dev.mandate.api.connector;

/** The environment a connector observes (IOM §5: cloud, network, identity and on-premises). */
public enum Domain {
    CLOUD, NETWORK, IDENTITY, ONPREM
}
