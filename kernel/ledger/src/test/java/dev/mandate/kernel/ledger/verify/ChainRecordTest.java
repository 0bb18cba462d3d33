package dev.mandate.kernel.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChainRecordTest {

    /** The writer hashes the payload before it knows the record's place; the two halves give the whole hash. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|decision|{\"a\":1}|7",
        "9007199254740993|evidence.checkpoint|{}|0",
        "42|blueprint.loaded|{\"name\":\"zürich-\\\"payments\\\"\",\"note\":\"tab\\there 🚀\"}|-3",
    })
    void aHashBegunBeforeTheRecordsPlaceIsKnownIsTheRecordsHash(long sequence, String type, String payload,
            long revision) {
        String previous = ChainRecord.sha256("the record before");
        String timestamp = "2026-11-26T08:00:00.120Z";
        ChainRecord record = new ChainRecord(sequence, type, timestamp, revision, Jcs.canonicalize(payload), previous, "");

        String twoHalves = ChainRecord.hash(ChainRecord.hashPrefix(revision, record.payloadJson()), previous, sequence,
                timestamp, type);

        assertThat(twoHalves).isEqualTo(record.computeHash()).isEqualTo(ChainRecord.sha256(record.hashInput()));
    }

    @ParameterizedTest
    @CsvSource({"2026-11-26T08:00:00Z", "2026-01-05T23:59:59.999999999Z", "1970-01-01T00:00:00.001Z",
        "0001-02-03T04:05:06.007Z", "9999-12-31T23:59:59.5Z", "+10000-01-01T00:00:00Z", "-0001-06-30T12:00:00.25Z"})
    void timestampsHaveExactlyThreeFractionDigitsTruncated(String instant) {
        Instant at = Instant.parse(instant);
        String expected = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC).format(at);

        assertThat(ChainRecord.timestamp(at)).isEqualTo(expected);
        assertThat(ChainRecord.timestamp(LocalDateTime.ofInstant(at, ZoneOffset.UTC))).isEqualTo(expected);
    }
}
