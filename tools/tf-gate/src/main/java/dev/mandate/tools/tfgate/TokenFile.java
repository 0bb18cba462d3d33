package dev.mandate.tools.tfgate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a bearer token kept in a file (a CI secret mounted as a file), trimmed. */
final class TokenFile {

    private TokenFile() {
    }

    static String read(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the token file '" + file + "' is empty");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the token file '" + file + "' does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file '" + file + "': " + e.getMessage());
        }
    }
}
