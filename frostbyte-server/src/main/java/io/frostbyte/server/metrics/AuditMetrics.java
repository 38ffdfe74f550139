package io.frostbyte.server.metrics;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.audit.AuditEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pipeline's and the query API's counters of spec/09 §9.2, read off the audit events as they are appended, so a
 * figure and its audit record never disagree: {@code frostbyte_audit_events_total{event_type}}, {@code
 * frostbyte_parse_documents_total{result}}, {@code frostbyte_parse_failures_total{reason}}, {@code
 * frostbyte_policy_chunks_total}, {@code frostbyte_policy_gate_results_total{gate, result}}, {@code
 * frostbyte_embed_requests_total{profile, result}} and {@code frostbyte_embed_duration_seconds{profile}} (one request
 * per document's embed run, the unit the stage retries), {@code frostbyte_index_writes_total{result}}, {@code
 * frostbyte_retrieval_queries_total{mode}}, {@code frostbyte_retrieval_results_total{result_count_bucket}}, {@code
 * frostbyte_retrieval_model_mismatch_total} and {@code frostbyte_generation_total{answerer, result}}. Every series
 * carries the event's {@code tenant_id}. Only ids, counts and type names are read; events hold nothing else.
 *
 * <p>Called inside the appending transaction: a rolled-back transaction may leave a count its event lost (the audit
 * trail stays the record of truth).
 */
public final class AuditMetrics implements Consumer<AuditEvent> {
    private final MeterRegistry registry;

    public AuditMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public void accept(AuditEvent event) {
        Tags tenant = Tags.of("tenant_id", event.tenantId().value());
        Map<String, Object> details = event.details();
        count(
                "frostbyte.audit.events",
                "Audit events appended",
                tenant.and("event_type", event.eventType().name()),
                1);
        switch (event.eventType()) {
            case DOCUMENT_PARSED ->
                count("frostbyte.parse.documents", "Documents parsed", tenant.and("result", "success"), 1);
            case DOCUMENT_PARSE_FAILED -> {
                count("frostbyte.parse.documents", "Documents parsed", tenant.and("result", "failure"), 1);
                count(
                        "frostbyte.parse.failures",
                        "Parse failures by reason",
                        tenant.and("reason", text(details, "failure_reason", "UNKNOWN")),
                        1);
            }
            case POLICY_GATE_PASSED -> gatePassed(tenant, details);
            case POLICY_GATE_FAILED ->
                gateResult(
                        tenant,
                        text(details, "gate", "unknown"),
                        "PII_BLOCK_POLICY".equals(details.get("reason")) ? "block" : "quarantine");
            case DOCUMENT_EMBEDDED -> {
                Tags profile = tenant.and("profile", text(details, "embed_model", "unknown"));
                count("frostbyte.embed.requests", "Embed runs by result", profile.and("result", "success"), 1);
                if (details.get("duration_ms") instanceof Number millis) {
                    Timer.builder("frostbyte.embed.duration")
                            .description("Embed run duration per document")
                            .tags(profile)
                            .register(registry)
                            .record(Duration.ofMillis(millis.longValue()));
                }
            }
            case EMBEDDING_FAILED -> {
                if ("index".equals(details.get("stage"))) {
                    count("frostbyte.index.writes", "Index writes by result", tenant.and("result", "rollback"), 1);
                } else {
                    count(
                            "frostbyte.embed.requests",
                            "Embed runs by result",
                            tenant.and("profile", text(details, "embed_model", "unknown"))
                                    .and("result", "error"),
                            1);
                }
            }
            case INDEX_WRITTEN ->
                count("frostbyte.index.writes", "Index writes by result", tenant.and("result", "success"), 1);
            case RETRIEVAL_EXECUTED -> retrieval(tenant, details);
            case GENERATION_EXECUTED ->
                count(
                        "frostbyte.generation",
                        "Generated answers by result",
                        tenant.and("answerer", text(details, "answerer", "unknown"))
                                .and("result", Boolean.TRUE.equals(details.get("suppressed")) ? "suppressed" : "ok"),
                        1);
            default -> {
                // counted as an audit event only
            }
        }
    }

    private void gatePassed(Tags tenant, Map<String, Object> details) {
        String gate = text(details, "gate", "unknown");
        switch (gate) {
            case "pii" -> {
                count(
                        "frostbyte.policy.chunks",
                        "Chunks through the policy gates",
                        tenant,
                        number(details, "chunk_count"));
                gateResult(
                        tenant,
                        gate,
                        switch (text(details, "pii_action_taken", "none")) {
                            case "redacted" -> "redact";
                            case "flagged" -> "flag";
                            case "blocked" -> "block";
                            default -> "pass";
                        });
            }
            case "injection" ->
                gateResult(
                        tenant,
                        gate,
                        number(details, "chunks_quarantined") > 0
                                ? "quarantine"
                                : number(details, "chunks_flagged") > 0 ? "flag" : "pass");
            case "classification" ->
                gateResult(
                        tenant,
                        gate,
                        text(details, "classification_status", "").contains("review") ? "review" : "pass");
            default -> gateResult(tenant, gate, "pass");
        }
    }

    private void gateResult(Tags tenant, String gate, String result) {
        count(
                "frostbyte.policy.gate.results",
                "Policy gate results per document",
                tenant.and("gate", gate).and("result", result),
                1);
    }

    private void retrieval(Tags tenant, Map<String, Object> details) {
        count(
                "frostbyte.retrieval.queries",
                "Queries answered",
                tenant.and("mode", text(details, "mode", "unknown")),
                1);
        long results = number(details, "result_count");
        String bucket =
                results == 0 ? "0" : results <= 5 ? "1-5" : results <= 20 ? "6-20" : results <= 50 ? "21-50" : "51+";
        count(
                "frostbyte.retrieval.results",
                "Queries by number of results",
                tenant.and("result_count_bucket", bucket),
                1);
        if (Boolean.FALSE.equals(details.get("model_version_match"))) {
            count(
                    "frostbyte.retrieval.model.mismatch",
                    "Queries whose index was built with a profile this node cannot run",
                    tenant,
                    1);
        }
    }

    private void count(String name, String description, Tags tags, long amount) {
        Counter.builder(name)
                .description(description)
                .tags(tags)
                .register(registry)
                .increment(amount);
    }

    private static String text(Map<String, Object> details, String key, String fallback) {
        Object value = details.get(key);
        return value == null ? fallback : value.toString();
    }

    private static long number(Map<String, Object> details, String key) {
        return details.get(key) instanceof Number n ? n.longValue() : 0;
    }
}
