package io.frostbyte.postgres.audit;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.sign.SignatureValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.BiPredicate;

/**
 * Checks a chain fed in stored order: contiguous seq, recomputed hashes, prev hash links and checkpoints. Shared by the
 * database and the export verifiers. Not thread-safe: one per verification.
 */
final class ChainChecker {
    static final String VALID_SIGNATURE = "valid signature";

    private final TenantId tenantId;
    private final NavigableMap<Long, AuditCheckpoint> checkpoints;
    private final BiPredicate<byte[], SignatureValue> signatureCheck;
    private final List<AuditBreak> breaks = new ArrayList<>();
    private long expectedSeq;
    private String expectedPrevHash;
    private long events;
    private long checkpointsChecked;
    private long lastSeq;
    private String lastHash;

    /**
     * @param firstSeq the seq the first event should have
     * @param expectedPrevHash the first event's expected prev hash, or null when unknown
     * @param checkpoints the checkpoints of the verified range, by seq
     */
    ChainChecker(
            TenantId tenantId,
            long firstSeq,
            String expectedPrevHash,
            NavigableMap<Long, AuditCheckpoint> checkpoints,
            BiPredicate<byte[], SignatureValue> signatureCheck) {
        this.tenantId = tenantId;
        this.expectedSeq = firstSeq;
        this.expectedPrevHash = expectedPrevHash;
        this.checkpoints = checkpoints;
        this.signatureCheck = signatureCheck;
        this.lastSeq = firstSeq - 1;
        this.lastHash = expectedPrevHash;
    }

    void accept(long seq, String prevHash, String storedHash, String recomputedHash) {
        events++;
        if (seq > expectedSeq) {
            breaks.add(new AuditBreak(
                    expectedSeq, AuditBreak.Kind.SEQ_GAP, Long.toString(expectedSeq), Long.toString(seq)));
        } else if (seq < expectedSeq) {
            breaks.add(new AuditBreak(seq, AuditBreak.Kind.SEQ_GAP, Long.toString(expectedSeq), Long.toString(seq)));
        }
        if (!recomputedHash.equals(storedHash)) {
            breaks.add(new AuditBreak(seq, AuditBreak.Kind.EVENT_HASH, recomputedHash, storedHash));
        }
        if (expectedPrevHash != null && !expectedPrevHash.equals(prevHash)) {
            breaks.add(new AuditBreak(seq, AuditBreak.Kind.PREV_HASH, expectedPrevHash, prevHash));
        }
        AuditCheckpoint checkpoint = checkpoints.remove(seq);
        if (checkpoint != null) {
            checkCheckpoint(checkpoint, storedHash);
        }
        expectedPrevHash = storedHash;
        expectedSeq = seq + 1;
        lastSeq = seq;
        lastHash = storedHash;
    }

    /** A break found elsewhere (provenance, head). */
    void add(AuditBreak found) {
        breaks.add(found);
    }

    long lastSeq() {
        return lastSeq;
    }

    String lastHash() {
        return lastHash;
    }

    AuditVerification finish() {
        // checkpoints whose event was not seen: deleted (or never there)
        for (AuditCheckpoint checkpoint : checkpoints.values()) {
            checkCheckpoint(checkpoint, "missing");
        }
        checkpoints.clear();
        List<AuditBreak> sorted = new ArrayList<>(breaks);
        sorted.sort(Comparator.comparingLong(AuditBreak::seq).thenComparing(AuditBreak::kind));
        return new AuditVerification(tenantId, events, checkpointsChecked, sorted);
    }

    private void checkCheckpoint(AuditCheckpoint checkpoint, String storedHash) {
        checkpointsChecked++;
        boolean signed;
        try {
            signed = signatureCheck.test(checkpoint.signedBytes(), checkpoint.signatureValue());
        } catch (RuntimeException e) {
            signed = false;
        }
        if (!signed) {
            breaks.add(
                    new AuditBreak(checkpoint.seq(), AuditBreak.Kind.CHECKPOINT, VALID_SIGNATURE, "invalid signature"));
        }
        if (!checkpoint.eventHash().equals(storedHash)) {
            breaks.add(
                    new AuditBreak(checkpoint.seq(), AuditBreak.Kind.CHECKPOINT, checkpoint.eventHash(), storedHash));
        }
    }
}
