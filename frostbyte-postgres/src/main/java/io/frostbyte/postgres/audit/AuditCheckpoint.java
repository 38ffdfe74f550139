package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.sign.SignatureValue;
import java.time.Instant;

/**
 * A signed chain head (spec/06 AUD-4): the deployment audit key's Ed25519 signature over the JCS bytes of
 * {@code {"event_hash", "seq", "tenant_id", "time"}} ({@link #signedBytes}).
 *
 * @param time when it was taken, milliseconds
 * @param signature standard base64 of the 64-byte signature
 */
public record AuditCheckpoint(
        TenantId tenantId, long seq, String eventHash, Instant time, String keyId, String signature) {
    public static final String ALGORITHM = "Ed25519";

    public AuditCheckpoint {
        requireNonNull(tenantId, "tenantId is null");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1: " + seq);
        }
        requireNonNull(eventHash, "eventHash is null");
        requireNonNull(time, "time is null");
        requireNonNull(keyId, "keyId is null");
        requireNonNull(signature, "signature is null");
    }

    /** What is signed: JCS of {@code {tenant_id, seq, event_hash, time}}. */
    public byte[] signedBytes() {
        return signedBytes(tenantId, seq, eventHash, time);
    }

    public static byte[] signedBytes(TenantId tenantId, long seq, String eventHash, Instant time) {
        ObjectNode node = AuditEventJson.MAPPER.createObjectNode();
        node.put("tenant_id", tenantId.value());
        node.put("seq", seq);
        node.put("event_hash", eventHash);
        node.put("time", AuditEventJson.formatTimestamp(time));
        return AuditEventJson.canonicalize(node);
    }

    public SignatureValue signatureValue() {
        return new SignatureValue(ALGORITHM, keyId, signature);
    }

    /** One line of {@code checkpoints.jsonl}: {@code {tenant_id, seq, event_hash, time, key_id, signature}}. */
    public String toJson() {
        ObjectNode node = AuditEventJson.MAPPER.createObjectNode();
        node.put("tenant_id", tenantId.value());
        node.put("seq", seq);
        node.put("event_hash", eventHash);
        node.put("time", AuditEventJson.formatTimestamp(time));
        node.put("key_id", keyId);
        node.put("signature", signature);
        try {
            return AuditEventJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a {@link #toJson} line. */
    public static AuditCheckpoint fromJson(String json) {
        try {
            JsonNode node = AuditEventJson.MAPPER.readTree(json);
            return new AuditCheckpoint(
                    TenantId.of(node.get("tenant_id").asText()),
                    node.get("seq").asLong(),
                    node.get("event_hash").asText(),
                    Instant.parse(node.get("time").asText()),
                    node.get("key_id").asText(),
                    node.get("signature").asText());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "checkpoint line is malformed (" + e.getClass().getSimpleName() + ")");
        }
    }
}
