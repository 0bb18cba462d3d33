package dev.mandate.kernel.reconciler.internal;

import java.io.IOException;
import java.util.Map;

/** Where a flow log connector reads its files: a local folder or an S3 bucket. */
interface FlowLogSource extends AutoCloseable {

    /** Where it reads, for messages. */
    String location();

    /**
     * The tally of every file the source holds now, by file or object name. Blocks on I/O.
     *
     * @throws IOException when not every file could be read (the collection then commits nothing)
     */
    Map<String, FlowTally> read() throws IOException;

    @Override
    default void close() {
    }
}
