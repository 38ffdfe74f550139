package io.frostbyte.core.storage;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The key of an object inside one tenant's namespace (spec/07 §7.5). Only these shapes exist:
 *
 * <pre>
 * raw/{file_id}/{sha256}            quarantine/{file_id}/{sha256}     staging/{batch_id}/{n}
 * normalized/{doc_id}/structured.json   redactions/{doc_id}.json   exports/{export_id}.tar.gz
 * </pre>
 *
 * An id is 1 to 128 characters of {@code [A-Za-z0-9._-]} starting with a letter or digit, so {@code ..}, {@code .},
 * absolute paths, backslashes, NUL and other control characters can never appear as a path segment; {@code sha256} is
 * 64 lowercase hex digits and {@code n} a decimal number without leading zeros. The key is the same string on every
 * adapter (a file path below the tenant's directory, an S3 key in the tenant's bucket) and is the context the
 * object's DEK is bound to.
 *
 * @param value the whole key, e.g. {@code raw/f-0001/470c…a0cb}
 */
public record ObjectKey(String value) implements Comparable<ObjectKey> {
    /** Longest accepted key in characters; far below the S3 limit of 1024 bytes and any file system's path limit. */
    public static final int MAX_LENGTH = 512;

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    private static final String SHA256 = "[0-9a-f]{64}";
    private static final Pattern GRAMMAR = Pattern.compile("(?:raw|quarantine)/" + ID + "/" + SHA256
            + "|staging/" + ID + "/(?:0|[1-9][0-9]{0,8})"
            + "|normalized/" + ID + "/structured\\.json"
            + "|redactions/" + ID + "\\.json"
            + "|exports/" + ID + "\\.tar\\.gz");
    private static final Pattern PREFIX_CHARACTERS = Pattern.compile("[A-Za-z0-9._/-]*");
    private static final String RULE = "raw/{file_id}/{sha256}, quarantine/{file_id}/{sha256}, staging/{batch_id}/{n},"
            + " normalized/{doc_id}/structured.json, redactions/{doc_id}.json or exports/{export_id}.tar.gz";

    public ObjectKey {
        requireNonNull(value, "object key is null");
        if (value.length() > MAX_LENGTH || !GRAMMAR.matcher(value).matches() || value.contains("..")) {
            throw invalid("object_key", value, RULE + ", at most " + MAX_LENGTH + " characters");
        }
    }

    public static ObjectKey of(String value) {
        return new ObjectKey(value);
    }

    public static ObjectKey raw(String fileId, String sha256) {
        return new ObjectKey("raw/" + fileId + "/" + sha256);
    }

    public static ObjectKey quarantine(String fileId, String sha256) {
        return new ObjectKey("quarantine/" + fileId + "/" + sha256);
    }

    public static ObjectKey staging(String batchId, int n) {
        return new ObjectKey("staging/" + batchId + "/" + n);
    }

    public static ObjectKey normalized(String docId) {
        return new ObjectKey("normalized/" + docId + "/structured.json");
    }

    public static ObjectKey redactions(String docId) {
        return new ObjectKey("redactions/" + docId + ".json");
    }

    public static ObjectKey export(String exportId) {
        return new ObjectKey("exports/" + exportId + ".tar.gz");
    }

    /** Whether {@code value} is a valid key; never throws. */
    public static boolean isValid(String value) {
        return value != null
                && value.length() <= MAX_LENGTH
                && GRAMMAR.matcher(value).matches()
                && !value.contains("..");
    }

    /**
     * Checks a listing prefix: empty (everything) or the start of a key, e.g. {@code raw/} or {@code staging/batch-7/};
     * same characters as keys, no leading {@code /}, no {@code //}, no {@code ..}.
     *
     * @return the prefix unchanged
     * @throws FrostbyteException {@code VALIDATION_ERROR} otherwise
     */
    public static String requireValidPrefix(String prefix) {
        requireNonNull(prefix, "prefix is null");
        if (prefix.length() > MAX_LENGTH
                || !PREFIX_CHARACTERS.matcher(prefix).matches()
                || prefix.startsWith("/")
                || prefix.startsWith(".")
                || prefix.contains("//")
                || prefix.contains("..")
                || prefix.contains("/.")) {
            throw invalid("prefix", prefix, "the start of an object key: " + RULE);
        }
        return prefix;
    }

    /** The first path segment: {@code raw}, {@code quarantine}, {@code staging}, … */
    public String area() {
        return value.substring(0, value.indexOf('/'));
    }

    @Override
    public int compareTo(ObjectKey other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static FrostbyteException invalid(String field, String value, String rule) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        shown = shown.replaceAll("\\p{Cntrl}", "?");
        return new FrostbyteException(
                ErrorCode.VALIDATION_ERROR,
                "invalid " + field.replace('_', ' ') + " '" + shown + "'",
                List.of(new FrostbyteException.ErrorDetail(field, shown, rule)));
    }
}
