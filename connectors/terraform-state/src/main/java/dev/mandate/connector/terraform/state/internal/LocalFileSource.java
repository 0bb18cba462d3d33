package dev.mandate.connector.terraform.state.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A state file on a local or mounted file system; read in place, never written. */
record LocalFileSource(Path path) implements StateSource {

    @Override
    public String location() {
        return "file:" + path;
    }

    @Override
    public InputStream open() throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "terraform state file '" + path + "' does not exist");
        }
        return Files.newInputStream(path);
    }
}
