package dev.mandate.kernel.export.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import dev.mandate.api.evidence.EvidenceRecord;
import dev.mandate.api.evidence.EvidenceSink;
import dev.mandate.kernel.export.format.JsonLines;
import dev.mandate.kernel.ledger.verify.ChainRecord;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Appends records to a JSON Lines file (see {@link JsonLines}) and forces them to disk before
 * acknowledging. Records the file already ends with (offered again after a crash between writing and
 * acknowledging) are not written twice: the sink continues after the last sequence in the file.
 */
@Component(service = EvidenceSink.class, configurationPid = "dev.mandate.kernel.export.file",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FileSinkConfig.class, factory = true)
public class FileSink implements EvidenceSink {
    private final String name;
    private final Path file;
    private long lastWritten = -1; // read from the file on first export; guarded by this

    @Activate
    public FileSink(FileSinkConfig config) {
        this(config.name(), Path.of(System.getProperty("karaf.data", "data")).resolve(config.path()));
    }

    FileSink(String name, Path file) {
        this.name = name;
        this.file = file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void export(List<EvidenceRecord> records) throws IOException {
        if (lastWritten < 0) {
            lastWritten = lastSequenceInFile();
        }
        StringBuilder text = new StringBuilder(records.size() * 400);
        long last = lastWritten;
        for (EvidenceRecord record : records) {
            if (record.sequence() > last) {
                text.append(JsonLines.line(record)).append('\n');
                last = record.sequence();
            }
        }
        if (text.length() == 0) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            lastWritten = -1; // a partial write is possible: read the file again next time
            throw e;
        }
        lastWritten = last;
    }

    /** The sequence of the file's last complete line, or 0; a torn last line is cut off. */
    private long lastSequenceInFile() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (RandomAccessFile access = new RandomAccessFile(file.toFile(), "rw")) {
            long length = access.length();
            long end = length;
            // a line cut short by a crash has no line break: drop it, its record is offered again
            while (end > 0) {
                access.seek(end - 1);
                if (access.read() == '\n') {
                    break;
                }
                end--;
            }
            if (end < length) {
                access.setLength(end);
            }
            if (end == 0) {
                return 0;
            }
            long start = end - 1;
            while (start > 0) {
                access.seek(start - 1);
                if (access.read() == '\n') {
                    break;
                }
                start--;
            }
            byte[] line = new byte[(int) (end - 1 - start)];
            access.seek(start);
            access.readFully(line);
            return ChainRecord.fromJsonLine(new String(line, StandardCharsets.UTF_8)).sequence();
        }
    }
}
