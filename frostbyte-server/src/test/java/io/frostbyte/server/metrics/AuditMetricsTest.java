package io.frostbyte.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.EventType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuditMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AuditMetrics metrics = new AuditMetrics(registry);
    private long seq;

    private void append(String tenant, EventType type, Map<String, Object> details) {
        metrics.accept(new AuditEvent(
                UUID.randomUUID(),
                TenantId.of(tenant),
                ++seq,
                type,
                Instant.parse("2026-03-02T10:00:00Z"),
                "system",
                "document",
                "doc_a35d2ab2b1167f7efbec662e",
                Optional.empty(),
                new TreeMap<>(details),
                AuditEvent.GENESIS_HASH,
                AuditEvent.GENESIS_HASH));
    }

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void every_series_is_counted_under_the_events_own_tenant() {
        append("acme-corp", EventType.INDEX_WRITTEN, Map.of("chunk_count", 3));
        append("globex", EventType.INDEX_WRITTEN, Map.of("chunk_count", 2));
        append("globex", EventType.INDEX_WRITTEN, Map.of("chunk_count", 2));

        assertThat(count("frostbyte.index.writes", "tenant_id", "acme-corp", "result", "success"))
                .isEqualTo(1);
        assertThat(count("frostbyte.index.writes", "tenant_id", "globex", "result", "success"))
                .isEqualTo(2);
        assertThat(count("frostbyte.audit.events", "tenant_id", "globex", "event_type", "INDEX_WRITTEN"))
                .isEqualTo(2);
    }

    @Test
    void gate_events_become_gate_results_and_the_pii_gate_counts_the_chunks() {
        append(
                "acme-corp",
                EventType.POLICY_GATE_PASSED,
                Map.of("gate", "pii", "chunk_count", 7, "pii_action_taken", "redacted"));
        append(
                "acme-corp",
                EventType.POLICY_GATE_PASSED,
                Map.of("gate", "injection", "chunks_flagged", 2, "chunks_quarantined", 0));
        append(
                "acme-corp",
                EventType.POLICY_GATE_PASSED,
                Map.of("gate", "classification", "classification_status", "pending_review"));
        append("acme-corp", EventType.POLICY_GATE_FAILED, Map.of("gate", "pii", "reason", "PII_BLOCK_POLICY"));
        append(
                "acme-corp",
                EventType.POLICY_GATE_FAILED,
                Map.of("gate", "injection", "reason", "INJECTION_HIGH_SCORE"));

        assertThat(count("frostbyte.policy.chunks", "tenant_id", "acme-corp")).isEqualTo(7);
        assertThat(count("frostbyte.policy.gate.results", "gate", "pii", "result", "redact"))
                .isEqualTo(1);
        assertThat(count("frostbyte.policy.gate.results", "gate", "injection", "result", "flag"))
                .isEqualTo(1);
        assertThat(count("frostbyte.policy.gate.results", "gate", "classification", "result", "review"))
                .isEqualTo(1);
        assertThat(count("frostbyte.policy.gate.results", "gate", "pii", "result", "block"))
                .isEqualTo(1);
        assertThat(count("frostbyte.policy.gate.results", "gate", "injection", "result", "quarantine"))
                .isEqualTo(1);
    }

    @Test
    void failures_count_by_reason_and_stage() {
        append("acme-corp", EventType.DOCUMENT_PARSE_FAILED, Map.of("failure_reason", "FILE_ENCRYPTED"));
        append(
                "acme-corp",
                EventType.EMBEDDING_FAILED,
                Map.of("stage", "embed", "error_code", "EMBED_FAILED", "embed_model", "all-minilm-l6-v2"));
        append("acme-corp", EventType.EMBEDDING_FAILED, Map.of("stage", "index", "error_code", "INDEX_FAILED"));

        assertThat(count("frostbyte.parse.documents", "result", "failure")).isEqualTo(1);
        assertThat(count("frostbyte.parse.failures", "reason", "FILE_ENCRYPTED"))
                .isEqualTo(1);
        assertThat(count("frostbyte.embed.requests", "profile", "all-minilm-l6-v2", "result", "error"))
                .isEqualTo(1);
        assertThat(count("frostbyte.index.writes", "result", "rollback")).isEqualTo(1);
    }

    @Test
    void queries_count_by_mode_result_bucket_and_model_mismatch_and_answers_by_result() {
        append(
                "acme-corp",
                EventType.RETRIEVAL_EXECUTED,
                Map.of("mode", "hybrid", "result_count", 0, "model_version_match", true));
        append(
                "acme-corp",
                EventType.RETRIEVAL_EXECUTED,
                Map.of("mode", "vector", "result_count", 60, "model_version_match", false));
        append("acme-corp", EventType.GENERATION_EXECUTED, Map.of("answerer", "extractive", "suppressed", true));

        assertThat(count("frostbyte.retrieval.queries", "mode", "hybrid")).isEqualTo(1);
        assertThat(count("frostbyte.retrieval.results", "result_count_bucket", "0"))
                .isEqualTo(1);
        assertThat(count("frostbyte.retrieval.results", "result_count_bucket", "51+"))
                .isEqualTo(1);
        assertThat(count("frostbyte.retrieval.model.mismatch", "tenant_id", "acme-corp"))
                .isEqualTo(1);
        assertThat(count("frostbyte.generation", "answerer", "extractive", "result", "suppressed"))
                .isEqualTo(1);
    }
}
