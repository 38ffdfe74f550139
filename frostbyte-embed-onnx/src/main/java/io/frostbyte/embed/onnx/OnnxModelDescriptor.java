package io.frostbyte.embed.onnx;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.embed.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A model directory's descriptor {@code frostbyte-model.json} (spec/04 §4.1). Unknown keys are rejected.
 *
 * @param name recorded as {@code embed_model}
 * @param version recorded as {@code embed_version}
 * @param dimensions length of the model's output vectors
 * @param pooling {@code mean} or {@code cls}
 * @param normalize whether vectors are L2-normalized after pooling (Frostbyte stores only normalized vectors, so a
 *     descriptor with {@code false} is rejected)
 * @param maxTokens the model's window including special tokens, 8 to 8192; longer texts are truncated and flagged
 * @param documentPrefix prepended to chunk texts
 * @param queryPrefix prepended to query texts
 * @param sha256 lower-case hex SHA-256 of {@code model.onnx}, checked when the model loads
 */
public record OnnxModelDescriptor(
        String name,
        String version,
        int dimensions,
        Pooling pooling,
        boolean normalize,
        int maxTokens,
        String documentPrefix,
        String queryPrefix,
        String sha256) {
    public static final int MAX_TOKENS_LIMIT = 8192;
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** The built-in {@code minilm-384} profile: all-MiniLM-L6-v2, int8-quantized, from its Maven artifact. */
    public static final OnnxModelDescriptor MINILM_L6_V2_Q = new OnnxModelDescriptor(
            "all-MiniLM-L6-v2",
            "1.0",
            384,
            Pooling.MEAN,
            true,
            256,
            "",
            "",
            "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1");

    public OnnxModelDescriptor {
        requireValid(name != null && NAME.matcher(name).matches(), "name", "^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$");
        requireValid(
                version != null && NAME.matcher(version).matches(), "version", "^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$");
        requireValid(
                dimensions >= 1 && dimensions <= Vectors.MAX_DIMENSION, "dimensions", "1.." + Vectors.MAX_DIMENSION);
        requireValid(pooling != null, "pooling", "mean or cls");
        requireValid(normalize, "normalize", "true (Frostbyte stores L2-normalized vectors only)");
        requireValid(maxTokens >= 8 && maxTokens <= MAX_TOKENS_LIMIT, "max_tokens", "8.." + MAX_TOKENS_LIMIT);
        requireValid(documentPrefix != null && documentPrefix.length() <= 64, "document_prefix", "at most 64 chars");
        requireValid(queryPrefix != null && queryPrefix.length() <= 64, "query_prefix", "at most 64 chars");
        requireValid(sha256 != null && SHA256.matcher(sha256).matches(), "sha256", "64 lower-case hex digits");
    }

    /** Reads a descriptor; does not close {@code json}. */
    public static OnnxModelDescriptor read(InputStream json) {
        requireNonNull(json, "json is null");
        try {
            return MAPPER.readValue(json.readNBytes(64 * 1024), OnnxModelDescriptor.class);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID, "frostbyte-model.json is not a valid descriptor: " + firstLine(e), e);
        }
    }

    private static String firstLine(IOException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void requireValid(boolean valid, String key, String rule) {
        if (!valid) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID,
                    "model descriptor key '" + key + "' must be " + rule,
                    java.util.List.of(new FrostbyteException.ErrorDetail(key, null, rule)));
        }
    }

    /** Jackson reads {@code "mean"} / {@code "cls"}. */
    @com.fasterxml.jackson.annotation.JsonCreator
    static OnnxModelDescriptor fromJson(
            @JsonProperty(value = "name", required = true) String name,
            @JsonProperty(value = "version", required = true) String version,
            @JsonProperty(value = "dimensions", required = true) int dimensions,
            @JsonProperty(value = "pooling", required = true) String pooling,
            @JsonProperty(value = "normalize", required = true) boolean normalize,
            @JsonProperty(value = "max_tokens", required = true) int maxTokens,
            @JsonProperty(value = "document_prefix") String documentPrefix,
            @JsonProperty(value = "query_prefix") String queryPrefix,
            @JsonProperty(value = "sha256", required = true) String sha256) {
        Pooling parsed;
        try {
            parsed = Pooling.valueOf(requireNonNull(pooling, "pooling is null").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        return new OnnxModelDescriptor(
                name,
                version,
                dimensions,
                parsed,
                normalize,
                maxTokens,
                documentPrefix == null ? "" : documentPrefix,
                queryPrefix == null ? "" : queryPrefix,
                sha256);
    }
}
