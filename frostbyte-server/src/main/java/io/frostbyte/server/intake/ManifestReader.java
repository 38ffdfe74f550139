package io.frostbyte.server.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.FrostbyteException.ErrorDetail;
import io.frostbyte.core.TenantId;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a batch manifest (spec/01 §1.1, checks 8–11 of §1.2) in the spec's order: JSON and schema
 * ({@code MANIFEST_INVALID}, every offending field named once), {@code file_count} against the entries ({@code
 * MANIFEST_FILE_COUNT_MISMATCH}), against {@code max_batch_size} ({@code BATCH_TOO_LARGE}), then unique file ids
 * ({@code DUPLICATE_FILE_ID}). Unknown fields make the manifest invalid. Error details name fields, never echo
 * filenames or submitters.
 *
 * <p>Ids are stricter than the bare character class of spec/01: they must start with a letter or digit and contain no
 * {@code ..}, because they become object-key segments (ARCHITECTURE.md §5) and must never read as a path.
 */
public final class ManifestReader {
    /** Largest manifest part (spec/01 §1.2 check 7). */
    public static final int MAX_MANIFEST_BYTES = 10 * 1024 * 1024;

    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
    private static final Pattern SHA256 = Pattern.compile("^[0-9A-Fa-f]{64}$");
    private static final Pattern MIME = Pattern.compile(
            "^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\\s*;.{0,200})?$");
    private static final Set<String> TOP_LEVEL =
            Set.of("batch_id", "tenant_id", "file_count", "submitted_at", "submitter", "files");
    private static final Set<String> ENTRY = Set.of("file_id", "filename", "mime_type", "size_bytes", "sha256");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(8)
                        .maxStringLength(64 * 1024)
                        .maxNumberLength(30)
                        .build());
    }

    private ManifestReader() {}

    /**
     * @param bytes the manifest part as received (at most {@link #MAX_MANIFEST_BYTES})
     * @param pathTenant the tenant of the request path (already matched against the token)
     * @param maxBatchSize the tenant's {@code max_batch_size}
     */
    public static Manifest read(byte[] bytes, TenantId pathTenant, int maxBatchSize) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw invalid(List.of(new ErrorDetail("manifest", null, "well-formed JSON (no duplicate keys)")));
        } catch (IOException e) {
            throw invalid(List.of(new ErrorDetail("manifest", null, "readable JSON")));
        }
        if (root == null || !root.isObject()) {
            throw invalid(List.of(new ErrorDetail("manifest", null, "a JSON object")));
        }
        List<ErrorDetail> errors = new ArrayList<>();
        unknownFields(root, TOP_LEVEL, "", errors);
        String batchId = id(root, "batch_id", "batch_id", errors);
        Optional<String> tenant = text(root, "tenant_id", "tenant_id", true, errors);
        if (tenant.isPresent() && !tenant.get().equals(pathTenant.value())) {
            errors.add(new ErrorDetail("tenant_id", null, "equal to the tenant of the path and the token"));
        }
        int fileCount = -1;
        JsonNode count = root.get("file_count");
        if (count == null || !count.isIntegralNumber() || !count.canConvertToInt() || count.intValue() < 1) {
            errors.add(new ErrorDetail("file_count", null, "an integer of at least 1"));
        } else {
            fileCount = count.intValue();
        }
        Optional<Instant> submittedAt = Optional.empty();
        Optional<String> submittedText = text(root, "submitted_at", "submitted_at", false, errors);
        if (submittedText.isPresent()) {
            try {
                submittedAt =
                        Optional.of(OffsetDateTime.parse(submittedText.get()).toInstant());
            } catch (DateTimeParseException e) {
                errors.add(new ErrorDetail("submitted_at", null, "an RFC 3339 timestamp"));
            }
        }
        Optional<String> submitter = text(root, "submitter", "submitter", false, errors);
        if (submitter.isPresent()
                && (submitter.get().isEmpty() || submitter.get().length() > 254)) {
            errors.add(new ErrorDetail("submitter", null, "1 to 254 characters"));
        }
        List<Manifest.Entry> entries = new ArrayList<>();
        JsonNode files = root.get("files");
        if (files == null || !files.isArray() || files.isEmpty()) {
            errors.add(new ErrorDetail("files", null, "a non-empty array of file entries"));
        } else {
            for (int i = 0; i < files.size(); i++) {
                entry(files.get(i), "files[" + i + "]", errors).ifPresent(entries::add);
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        if (fileCount != files.size()) {
            throw new FrostbyteException(
                    ErrorCode.MANIFEST_FILE_COUNT_MISMATCH,
                    "file_count is " + fileCount + " but the manifest lists " + files.size() + " files.",
                    List.of(new ErrorDetail("file_count", fileCount, "equal to files.length (" + files.size() + ")")));
        }
        if (fileCount > maxBatchSize) {
            throw new FrostbyteException(
                    ErrorCode.BATCH_TOO_LARGE,
                    "The batch has " + fileCount + " files; this tenant accepts at most " + maxBatchSize + ".",
                    List.of(new ErrorDetail("file_count", fileCount, "at most " + maxBatchSize)));
        }
        Set<String> seen = new HashSet<>();
        List<ErrorDetail> duplicates = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!seen.add(entries.get(i).fileId())) {
                duplicates.add(new ErrorDetail(
                        "files[" + i + "].file_id", entries.get(i).fileId(), "unique in batch"));
            }
        }
        if (!duplicates.isEmpty()) {
            throw new FrostbyteException(
                    ErrorCode.DUPLICATE_FILE_ID, "The manifest lists a file_id more than once.", duplicates);
        }
        return new Manifest(batchId, pathTenant, fileCount, submittedAt, submitter, entries, sha256Hex(bytes));
    }

    private static Optional<Manifest.Entry> entry(JsonNode node, String path, List<ErrorDetail> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new ErrorDetail(path, null, "a file entry object"));
            return Optional.empty();
        }
        int before = errors.size();
        unknownFields(node, ENTRY, path + ".", errors);
        String fileId = id(node, "file_id", path + ".file_id", errors);
        Optional<String> filename = text(node, "filename", path + ".filename", true, errors);
        String basename = null;
        if (filename.isPresent()) {
            basename = basename(filename.get());
            if (filename.get().isEmpty()
                    || filename.get().codePointCount(0, filename.get().length()) > 255
                    || filename.get().codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL)
                    || basename.isEmpty()
                    || basename.equals(".")
                    || basename.equals("..")) {
                errors.add(new ErrorDetail(
                        path + ".filename", null, "1 to 255 characters, no control characters, a non-empty basename"));
            }
        }
        Optional<String> mime = text(node, "mime_type", path + ".mime_type", true, errors);
        if (mime.isPresent() && !MIME.matcher(mime.get()).matches()) {
            errors.add(new ErrorDetail(path + ".mime_type", null, "a MIME type such as application/pdf"));
        }
        JsonNode size = node.get("size_bytes");
        long sizeBytes = -1;
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            errors.add(new ErrorDetail(path + ".size_bytes", null, "an integer of at least 0"));
        } else {
            sizeBytes = size.longValue();
        }
        Optional<String> sha = text(node, "sha256", path + ".sha256", true, errors);
        if (sha.isPresent() && !SHA256.matcher(sha.get()).matches()) {
            errors.add(new ErrorDetail(path + ".sha256", null, "64 hexadecimal digits"));
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Manifest.Entry(
                fileId, basename, mime.get(), sizeBytes, sha.get().toLowerCase(Locale.ROOT)));
    }

    /** The last segment of a path in either separator style. */
    static String basename(String filename) {
        int slash = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
        return filename.substring(slash + 1);
    }

    private static String id(JsonNode node, String field, String path, List<ErrorDetail> errors) {
        Optional<String> value = text(node, field, path, true, errors);
        if (value.isPresent()
                && (!ID.matcher(value.get()).matches() || value.get().contains(".."))) {
            errors.add(new ErrorDetail(
                    path, null, "1 to 128 of A-Z a-z 0-9 . _ -, starting with a letter or digit, no '..'"));
            return null;
        }
        return value.orElse(null);
    }

    private static Optional<String> text(
            JsonNode node, String field, String path, boolean required, List<ErrorDetail> errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new ErrorDetail(path, null, "required"));
            }
            return Optional.empty();
        }
        if (!value.isTextual()) {
            errors.add(new ErrorDetail(path, null, "a string"));
            return Optional.empty();
        }
        return Optional.of(value.textValue());
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix, List<ErrorDetail> errors) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                String shown = name.length() > 64 ? name.substring(0, 64) + "…" : name;
                errors.add(new ErrorDetail(prefix + shown.replaceAll("\\p{Cntrl}", "?"), null, "not a known field"));
            }
        }
    }

    private static FrostbyteException invalid(List<ErrorDetail> details) {
        return new FrostbyteException(ErrorCode.MANIFEST_INVALID, "The manifest is invalid.", details);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
