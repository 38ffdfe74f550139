package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The result of verifying an export offline.
 *
 * @param manifestSignatureValid whether {@code manifest.sig} is the audit key's signature of the manifest
 * @param verifiable whether the manifest declares a complete chain segment (then {@code chain} is present)
 * @param problems archive-level findings: missing files, hash or size mismatches, counts; content-free
 * @param chain the exported segment's chain verification, when verifiable
 */
public record AuditExportVerification(
        boolean manifestSignatureValid, boolean verifiable, List<String> problems, Optional<AuditVerification> chain) {
    public AuditExportVerification {
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
        requireNonNull(chain, "chain is null");
    }

    /** Signature valid, no problem, and (when verifiable) the chain valid. */
    public boolean valid() {
        return manifestSignatureValid
                && problems.isEmpty()
                && chain.map(AuditVerification::hashChainValid).orElse(true);
    }
}
