package dev.mandate.connector.terraform.state.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a Terraform state is read from: a local file today; an S3 object or an Azure blob are further
 * implementations of this seam (they read the same format and map it the same way).
 */
interface StateSource {

    /** Where it is, for messages ({@code file:/srv/tf/network.tfstate}, {@code s3://bucket/key}). */
    String location();

    /**
     * Opens the state for one read. May block on I/O; must give up when the thread is interrupted.
     *
     * @throws IOException when it cannot be read now; the caller keeps what it had
     */
    InputStream open() throws IOException;
}
