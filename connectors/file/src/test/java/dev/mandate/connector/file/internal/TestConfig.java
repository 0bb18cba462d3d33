package dev.mandate.connector.file.internal;

import dev.mandate.api.connector.Domain;

import java.lang.annotation.Annotation;

/** A {@link FileStateConnectorConfig} built in tests, as Configuration Admin would hand it over. */
record TestConfig(String path, int interval, String id, Domain domain) implements FileStateConnectorConfig {

    static TestConfig folder(String path) {
        return new TestConfig(path, 300, "file", Domain.CLOUD);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return FileStateConnectorConfig.class;
    }
}
