package dev.mandate.api.decision;

/** What kind of actor asks (IOM §7: human and system actors are distinguishable; §12: AI). */
public enum ActorKind {
    HUMAN, SYSTEM, AI
}
