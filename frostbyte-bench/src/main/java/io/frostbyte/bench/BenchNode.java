package io.frostbyte.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.intake.IntakeType;
import io.frostbyte.core.tenant.TenantRegistration;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.Tier;
import io.frostbyte.crypto.FileMasterKey;
import io.frostbyte.crypto.MasterKeySecretSealer;
import io.frostbyte.postgres.TenantDatabases;
import io.frostbyte.server.FrostbyteNode;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the suites that drive a real node share: a {@link FrostbyteNode} on embedded defaults (random port, no clamd),
 * a provisioned tenant with a token, batch uploads over the intake endpoint and batch status reads.
 */
final class BenchNode {
    private static final String BOUNDARY = "----frostbyte-bench-boundary";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BenchNode() {}

    /** A node on embedded defaults with its data under {@code dataDir}, listening on a random port. */
    static FrostbyteNode start(Path dataDir) throws java.io.IOException {
        return start(dataDir, Map.of());
    }

    /** {@link #start(Path)} with these stage handlers in place of the pipeline's. */
    static FrostbyteNode start(
            Path dataDir, Map<io.frostbyte.core.job.Stage, io.frostbyte.core.job.JobHandler> handlers)
            throws java.io.IOException {
        Files.createDirectories(dataDir);
        FrostbyteConfig config = FrostbyteConfig.from(ConfigLoader.load(
                Optional.empty(),
                Map.of(
                        "FROSTBYTE_DATA_DIR", dataDir.toString(),
                        "FROSTBYTE_SERVER__PORT", "0",
                        "FROSTBYTE_MALWARE__CLAMD_PORT", "1")));
        return FrostbyteNode.start(config, Clock.systemUTC(), handlers);
    }

    /** Creates and provisions the tenant, waits until it is active and returns a token with {@code role, scopes}. */
    static String provision(
            FrostbyteNode node,
            TenantId tenant,
            Tier tier,
            Map<String, Object> settings,
            Role role,
            EnumSet<Scope> scopes)
            throws InterruptedException {
        node.lifecycle()
                .create(
                        new TenantRegistration(
                                Optional.of(tenant), "Bench " + tenant.value(), "ops@example.com", tier, settings),
                        "system");
        node.lifecycle().provision(tenant, "system", Optional.empty());
        Instant deadline = Instant.now().plusSeconds(120);
        while (node.lifecycle().find(tenant).orElseThrow().state() != TenantState.ACTIVE) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("bench tenant was not provisioned");
            }
            Thread.sleep(200);
        }
        node.tenantCache().refresh();
        long epoch = node.registry().find(tenant).orElseThrow().keyEpoch();
        return node.tokens()
                .issue("bench", tenant, role, scopes, Duration.ofHours(4), epoch)
                .token();
    }

    /** The node's tenant databases through a pool of its own (the node keeps its pools private). */
    static TenantDatabases tenantDatabases(FrostbyteNode node, int poolSize) {
        return new TenantDatabases(
                node.database().database().dataSource(),
                node.database().serverUrl(),
                new MasterKeySecretSealer(
                        FileMasterKey.loadOrCreate(node.config().keys().masterKeyFile())),
                poolSize);
    }

    /** One file to upload. */
    record Upload(String id, String filename, byte[] bytes) {}

    /** Uploads one batch with its manifest to {@code POST /api/v1/ingest/{tenant}/batch}; expects 202. */
    static void upload(HttpClient http, URI base, String token, TenantId tenant, String batchId, List<Upload> files)
            throws Exception {
        ObjectNode manifest = MAPPER.createObjectNode();
        manifest.put("batch_id", batchId);
        manifest.put("tenant_id", tenant.value());
        manifest.put("file_count", files.size());
        ArrayNode entries = manifest.putArray("files");
        for (Upload file : files) {
            entries.addObject()
                    .put("file_id", file.id())
                    .put("filename", file.filename())
                    .put("mime_type", IntakeType.NO_CLAIM)
                    .put("size_bytes", file.bytes().length)
                    .put("sha256", sha256(file.bytes()));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"manifest\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + MAPPER.writeValueAsString(manifest) + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        for (Upload file : files) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                            + file.filename() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file.bytes());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/ingest/" + tenant.value() + "/batch"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("upload failed with " + response.statusCode() + ": " + response.body());
        }
    }

    /**
     * Uploads {@code files} as consecutive batches of at most {@code batchFiles}, named {@code <prefix>-1},
     * {@code <prefix>-2}...; returns the batch ids in order.
     */
    static List<String> uploadInBatches(
            HttpClient http, URI base, String token, TenantId tenant, String prefix, List<Upload> files, int batchFiles)
            throws Exception {
        List<String> batchIds = new java.util.ArrayList<>();
        for (int from = 0; from < files.size(); from += batchFiles) {
            String batchId = prefix + "-" + (from / batchFiles + 1);
            upload(http, base, token, tenant, batchId, files.subList(from, Math.min(files.size(), from + batchFiles)));
            batchIds.add(batchId);
        }
        return batchIds;
    }

    /** The {@code data} of {@code GET /api/v1/ingest/{tenant}/batch/{batch_id}}, waiting out 429s as Retry-After says. */
    static JsonNode batch(HttpClient http, URI base, String token, TenantId tenant, String batchId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        base.resolve("/api/v1/ingest/" + tenant.value() + "/batch/" + batchId))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(1))
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        for (int tries = 0; response.statusCode() == 429 && tries < 30; tries++) {
            // the ingest routes are rate limited per tenant; wait as told and ask again
            long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1L);
            Thread.sleep(Duration.ofSeconds(Math.max(1L, Math.min(seconds, 60L))));
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("batch status failed with " + response.statusCode());
        }
        return MAPPER.readTree(response.body()).path("data");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
