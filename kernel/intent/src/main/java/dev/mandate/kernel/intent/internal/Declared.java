package dev.mandate.kernel.intent.internal;

/** A versioned intent document other than a team or blueprint (waiver, freeze window, ownership), as loaded. */
interface Declared {

    /** {@code Waiver}, {@code FreezeWindow} or {@code Ownership}. */
    String kind();

    String name();

    String version();

    Semver semver();

    String contentHash();

    String origin();

    String file();

    int line();

    int column();

    /** {@code <name>@<version>}. */
    default String ref() {
        return name() + "@" + version();
    }
}
