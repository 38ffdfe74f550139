package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.sign.SignatureValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Verifies an audit export offline (spec/06 AUD-5 {@code --export file.tar.gz --public-key audit.pub}): the manifest
 * signature over its JCS bytes, every listed file's sha256 and size, and, when the manifest says it is verifiable, the
 * exported chain from the anchor: contiguous {@code seq}, recomputed hashes, prev hash links, checkpoint signatures
 * and hashes, provenance continuity between exported events.
 *
 * <p>Archive members are spooled to a temporary directory (deleted afterwards); events are streamed. Stateless and
 * thread-safe.
 */
public final class AuditExportVerifier {
    private static final Set<String> MEMBERS = Set.of(
            "events.jsonl",
            "events.csv",
            AuditExportWriter.CHECKPOINTS_FILE,
            AuditExportWriter.MANIFEST_FILE,
            AuditExportWriter.SIGNATURE_FILE);
    private static final long MAX_SMALL_FILE = 16L << 20;

    private AuditExportVerifier() {}

    /**
     * @param tarGz the archive; read to its end, not closed
     * @param signatureCheck whether a signature is the deployment audit key's (from the published public key)
     */
    public static AuditExportVerification verify(
            InputStream tarGz, BiPredicate<byte[], SignatureValue> signatureCheck) {
        requireNonNull(tarGz, "tarGz is null");
        requireNonNull(signatureCheck, "signatureCheck is null");
        Path spool = null;
        try {
            spool = Files.createTempDirectory("frostbyte-audit-verify");
            Map<String, Path> members = unpack(tarGz, spool);
            List<String> problems = new ArrayList<>();
            Path manifestFile = members.get(AuditExportWriter.MANIFEST_FILE);
            Path signatureFile = members.get(AuditExportWriter.SIGNATURE_FILE);
            if (manifestFile == null || signatureFile == null) {
                problems.add("manifest.json or manifest.sig is missing");
                return new AuditExportVerification(false, false, problems, Optional.empty());
            }
            String manifestText = Files.readString(manifestFile, StandardCharsets.UTF_8);
            JsonNode manifest = AuditEventJson.MAPPER.readTree(manifestText);
            JsonNode sig = AuditEventJson.MAPPER.readTree(Files.readString(signatureFile, StandardCharsets.UTF_8));
            boolean signatureValid;
            try {
                signatureValid = signatureCheck.test(
                        AuditEventJson.canonicalize(manifestText),
                        new SignatureValue(
                                sig.path("alg").asText(),
                                sig.path("key_id").asText(),
                                sig.path("value").asText()));
            } catch (RuntimeException e) {
                signatureValid = false;
            }
            if (!signatureValid) {
                problems.add("manifest signature is invalid");
            }
            for (JsonNode file : manifest.path("files")) {
                String path = file.path("path").asText();
                Path actual = members.get(path);
                if (actual == null) {
                    problems.add(path + " is missing");
                    continue;
                }
                String sha = AuditExportWriter.sha256(actual);
                if (!sha.equals(file.path("sha256").asText())) {
                    problems.add(path + " sha256 is " + sha + ", manifest says "
                            + file.path("sha256").asText());
                }
                if (Files.size(actual) != file.path("size_bytes").asLong()) {
                    problems.add(path + " has " + Files.size(actual) + " bytes, manifest says "
                            + file.path("size_bytes").asLong());
                }
            }
            boolean verifiable = manifest.path("verifiable").asBoolean(false);
            if (!verifiable) {
                return new AuditExportVerification(signatureValid, false, problems, Optional.empty());
            }
            AuditVerification chain = verifyChain(manifest, members, signatureCheck, problems);
            return new AuditExportVerification(signatureValid, true, problems, Optional.of(chain));
        } catch (IOException e) {
            return new AuditExportVerification(
                    false,
                    false,
                    List.of("archive is unreadable (" + e.getClass().getSimpleName() + ")"),
                    Optional.empty());
        } finally {
            if (spool != null) {
                deleteQuietly(spool);
            }
        }
    }

    private static AuditVerification verifyChain(
            JsonNode manifest,
            Map<String, Path> members,
            BiPredicate<byte[], SignatureValue> signatureCheck,
            List<String> problems)
            throws IOException {
        TenantId tenantId = TenantId.of(manifest.path("tenant_id").asText());
        long eventCount = manifest.path("event_count").asLong();
        long firstSeq = manifest.path("first_seq").asLong(1);
        long lastSeq = manifest.path("last_seq").asLong(0);
        JsonNode anchor = manifest.path("anchor");
        String anchorHash = anchor.isObject() ? anchor.path("event_hash").asText() : null;
        NavigableMap<Long, AuditCheckpoint> checkpoints = new TreeMap<>();
        Path checkpointFile = members.get(AuditExportWriter.CHECKPOINTS_FILE);
        if (checkpointFile != null) {
            try (BufferedReader reader = Files.newBufferedReader(checkpointFile, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank()) {
                        AuditCheckpoint checkpoint = AuditCheckpoint.fromJson(line);
                        if (checkpoint.seq() >= firstSeq) {
                            checkpoints.put(checkpoint.seq(), checkpoint);
                        } else if (anchorHash != null && checkpoint.seq() == firstSeq - 1) {
                            // the anchor itself is covered by a signed checkpoint
                            verifyAnchorCheckpoint(checkpoint, anchorHash, signatureCheck, problems);
                        }
                    }
                }
            }
        }
        ChainChecker checker = new ChainChecker(tenantId, firstSeq, anchorHash, checkpoints, signatureCheck);
        Map<String, String> outputs = new HashMap<>();
        List<AuditBreak> provenance = new ArrayList<>();
        String format = manifest.path("format").asText();
        long lines = 0;
        if ("csv".equals(format)) {
            Path file = members.get("events.csv");
            if (file != null) {
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    CsvReader csv = new CsvReader(reader);
                    List<String> header = csv.next();
                    if (header == null || !header.equals(AuditExportWriter.CSV_COLUMNS)) {
                        problems.add("events.csv header differs from the spec's columns");
                    }
                    List<String> row;
                    while ((row = csv.next()) != null) {
                        lines++;
                        checkCsvRow(row, tenantId, checker, outputs, provenance, problems);
                    }
                }
            }
        } else {
            Path file = members.get("events.jsonl");
            if (file != null) {
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines++;
                        checkJsonLine(line, tenantId, checker, outputs, provenance, problems);
                    }
                }
            }
        }
        if (lines != eventCount) {
            problems.add("export holds " + lines + " events, manifest says " + eventCount);
        }
        if (eventCount > 0 && checker.lastSeq() != lastSeq) {
            checker.add(new AuditBreak(
                    checker.lastSeq() + 1,
                    AuditBreak.Kind.SEQ_GAP,
                    Long.toString(lastSeq),
                    Long.toString(checker.lastSeq())));
        }
        provenance.forEach(checker::add);
        return checker.finish();
    }

    private static void checkJsonLine(
            String line,
            TenantId tenantId,
            ChainChecker checker,
            Map<String, String> outputs,
            List<AuditBreak> provenance,
            List<String> problems)
            throws IOException {
        JsonNode node = AuditEventJson.MAPPER.readTree(line);
        if (!(node instanceof ObjectNode event)) {
            problems.add("an events.jsonl line is not a JSON object");
            return;
        }
        long seq = event.path("seq").asLong();
        String stored = event.path("event_hash").asText();
        String prevHash = event.path("prev_hash").asText();
        ObjectNode withoutHash = event.deepCopy();
        withoutHash.remove("event_hash");
        String recomputed;
        try {
            recomputed = AuditEventJson.eventHash(prevHash, AuditEventJson.canonicalize(withoutHash));
        } catch (RuntimeException e) {
            recomputed = "unhashable";
        }
        if (!tenantId.value().equals(event.path("tenant_id").asText())) {
            problems.add("event at seq " + seq + " belongs to another tenant");
        }
        checker.accept(seq, prevHash, stored, recomputed);
        JsonNode details = event.path("details");
        provenance(
                seq,
                event.path("event_id").asText(),
                event.path("previous_event_id").isTextual()
                        ? event.path("previous_event_id").asText()
                        : null,
                details.path("input_hash").isTextual()
                        ? details.path("input_hash").asText()
                        : null,
                details.path("output_hash").isTextual()
                        ? details.path("output_hash").asText()
                        : null,
                outputs,
                provenance);
    }

    private static void checkCsvRow(
            List<String> row,
            TenantId tenantId,
            ChainChecker checker,
            Map<String, String> outputs,
            List<AuditBreak> provenance,
            List<String> problems)
            throws IOException {
        if (row.size() != AuditExportWriter.CSV_COLUMNS.size()) {
            problems.add("an events.csv row has " + row.size() + " columns");
            return;
        }
        long seq;
        try {
            seq = Long.parseLong(row.get(2));
        } catch (NumberFormatException e) {
            problems.add("an events.csv row has no numeric seq");
            return;
        }
        String previous = row.get(8).isEmpty() ? null : row.get(8);
        String recomputed;
        try {
            recomputed = AuditEventJson.eventHash(
                    row.get(12),
                    AuditEventJson.hashInput(
                            row.get(0),
                            row.get(1),
                            seq,
                            row.get(3),
                            row.get(4),
                            row.get(5),
                            row.get(6),
                            row.get(7),
                            previous,
                            row.get(11),
                            row.get(12)));
        } catch (RuntimeException e) {
            recomputed = "unhashable";
        }
        if (!tenantId.value().equals(row.get(1))) {
            problems.add("event at seq " + seq + " belongs to another tenant");
        }
        checker.accept(seq, row.get(12), row.get(13), recomputed);
        String input = null;
        String output = null;
        if (!row.get(11).isEmpty()) {
            JsonNode details = AuditEventJson.MAPPER.readTree(row.get(11));
            input = details.path("input_hash").isTextual()
                    ? details.path("input_hash").asText()
                    : null;
            output = details.path("output_hash").isTextual()
                    ? details.path("output_hash").asText()
                    : null;
        }
        provenance(seq, row.get(0), previous, input, output, outputs, provenance);
    }

    /** Provenance between exported events; a predecessor outside the export cannot be checked. */
    private static void provenance(
            long seq,
            String eventId,
            String previousEventId,
            String inputHash,
            String outputHash,
            Map<String, String> outputs,
            List<AuditBreak> breaks) {
        if (inputHash != null && previousEventId != null && outputs.containsKey(previousEventId)) {
            String expected = outputs.get(previousEventId);
            if (!inputHash.equals(expected)) {
                breaks.add(new AuditBreak(
                        seq, AuditBreak.Kind.PROVENANCE, inputHash, expected == null ? "missing" : expected));
            }
        }
        outputs.put(eventId, outputHash);
    }

    private static void verifyAnchorCheckpoint(
            AuditCheckpoint checkpoint,
            String anchorHash,
            BiPredicate<byte[], SignatureValue> signatureCheck,
            List<String> problems) {
        boolean valid;
        try {
            valid = signatureCheck.test(checkpoint.signedBytes(), checkpoint.signatureValue());
        } catch (RuntimeException e) {
            valid = false;
        }
        if (!valid || !checkpoint.eventHash().equals(anchorHash)) {
            problems.add("checkpoint at the anchor seq " + checkpoint.seq() + " does not verify");
        }
    }

    private static Map<String, Path> unpack(InputStream tarGz, Path spool) throws IOException {
        Map<String, Path> members = new HashMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(tarGz, 65536));
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String name = entry.getName();
            if (!entry.isFile() || !MEMBERS.contains(name) || members.containsKey(name)) {
                throw new IOException("unexpected archive member");
            }
            if (!name.startsWith("events.") && entry.getSize() > MAX_SMALL_FILE) {
                throw new IOException("archive member too large");
            }
            Path target = spool.resolve(name);
            Files.copy(tar, target);
            members.put(name, target);
        }
        return members;
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a temporary directory; the OS cleans up what is left
        }
    }

    /** RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks. */
    private static final class CsvReader {
        private final Reader reader;
        private int peeked = -2;

        CsvReader(Reader reader) {
            this.reader = reader;
        }

        List<String> next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            while (true) {
                if (quoted) {
                    if (c == -1) {
                        throw new IOException("unterminated quoted CSV field");
                    }
                    if (c == '"') {
                        int n = read();
                        if (n == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            c = n;
                            continue;
                        }
                    } else {
                        field.append((char) c);
                    }
                } else if (c == '"' && field.isEmpty()) {
                    quoted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r' || c == '\n' || c == -1) {
                    if (c == '\r') {
                        int n = read();
                        if (n != '\n') {
                            peeked = n;
                        }
                    }
                    fields.add(field.toString());
                    return fields;
                } else {
                    field.append((char) c);
                }
                c = read();
            }
        }

        private int read() throws IOException {
            if (peeked != -2) {
                int c = peeked;
                peeked = -2;
                return c;
            }
            return reader.read();
        }
    }
}
