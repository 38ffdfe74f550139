package io.frostbyte.server.api;

import static java.util.Objects.requireNonNull;

import io.frostbyte.server.health.CheckResult;
import io.frostbyte.server.health.HealthService;
import io.frostbyte.server.http.Json;
import io.frostbyte.server.http.Responses;
import io.frostbyte.server.metrics.Metrics;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The unauthenticated endpoints of spec/08 §8.8: health, readiness, metrics, the OpenAPI document and public keys. */
public final class SystemController {
    /** A public key as {@code GET /api/v1/keys} lists it. */
    public record PublicKey(String keyId, String purpose, String publicKey, String notBefore, String notAfter) {}

    private final HealthService health;
    private final Supplier<List<String>> readinessProblems;
    private final Metrics metrics;
    private final Supplier<Map<String, Object>> openApi;
    private final List<PublicKey> keys;

    public SystemController(
            HealthService health,
            Supplier<List<String>> readinessProblems,
            Metrics metrics,
            Supplier<Map<String, Object>> openApi,
            List<PublicKey> keys) {
        this.health = requireNonNull(health, "health is null");
        this.readinessProblems = requireNonNull(readinessProblems, "readinessProblems is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.openApi = requireNonNull(openApi, "openApi is null");
        this.keys = List.copyOf(keys);
    }

    public void health(Context ctx) {
        HealthService.Report report = health.report();
        Map<String, Object> checks = new LinkedHashMap<>();
        report.checks().forEach((name, result) -> checks.put(name, check(result)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.status());
        body.put("version", report.version());
        body.put("shape", report.shape());
        body.put("role", report.role());
        body.put("checks", checks);
        body.put("checked_at", Json.timestamp(report.checkedAt()));
        ctx.status(report.httpStatus()).json(body);
    }

    private static Map<String, Object> check(CheckResult result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", result.status());
        result.latencyMs().ifPresent(ms -> out.put("latency_ms", ms));
        result.detail().ifPresent(detail -> out.put("detail", detail));
        return out;
    }

    public void ready(Context ctx) {
        List<String> problems = readinessProblems.get();
        if (problems.isEmpty()) {
            ctx.status(200).json(Map.of("ready", true));
        } else {
            ctx.header("Retry-After", "1");
            ctx.status(503).json(Map.of("ready", false, "reasons", problems));
        }
    }

    public void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    public void openApi(Context ctx) {
        ctx.json(openApi.get());
    }

    public void keys(Context ctx) {
        Responses.ok(ctx, Map.of("keys", keys));
    }
}
