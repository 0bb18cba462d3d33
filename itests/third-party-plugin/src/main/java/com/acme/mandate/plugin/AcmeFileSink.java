package com.acme.mandate.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceSink;

import org.osgi.service.component.annotations.Component;

/** A vendor's evidence sink: one line per record (sequence, type, hash) in a file under Karaf's data folder. */
@Component
public class AcmeFileSink implements EvidenceSink {

    @Override
    public String name() {
        return "acme-archive";
    }

    @Override
    public void export(List<EvidenceRecord> records) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (EvidenceRecord record : records) {
            lines.append(record.sequence()).append(' ').append(record.type()).append(' ').append(record.hash())
                    .append('\n');
        }
        Path file = Path.of(System.getProperty("karaf.data", "data"), "acme-evidence.log");
        Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
