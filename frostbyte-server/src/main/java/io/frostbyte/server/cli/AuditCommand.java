package io.frostbyte.server.cli;

import io.frostbyte.core.TenantId;
import io.frostbyte.crypto.SigningKey;
import io.frostbyte.crypto.SigningKeySigner;
import io.frostbyte.postgres.audit.AuditVerification;
import io.frostbyte.postgres.audit.AuditVerifier;
import io.frostbyte.server.DatabaseRuntime;
import io.frostbyte.server.config.FrostbyteConfig;
import io.frostbyte.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code frostbyte audit verify|export}. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Verify and export the audit log.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
public final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Verifies chains in the database with the deployment's audit key: exit 0 when every chain is valid, 1 when any is
     * broken (every break is listed), 2 on usage errors.
     */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Verify hash chains and signed checkpoints (exit 0 valid, 1 broken).")
    public static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--tenant", description = "Only this chain (a tenant id or _platform); default: every chain.")
        String tenant;

        @Option(
                names = "--from-seq",
                defaultValue = "1",
                description = "First seq to check (default: ${DEFAULT-VALUE}).")
        long fromSeq;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            FrostbyteConfig config = options.load(Map.of());
            SigningKeySigner auditKey =
                    new SigningKeySigner(SigningKey.load(config.keys().auditKeyFile()));
            List<AuditVerification> results = new ArrayList<>();
            try (DatabaseRuntime database = DatabaseRuntime.forClient(config)) {
                AuditVerifier verifier = new AuditVerifier(database.database().dataSource(), auditKey::verify);
                if (tenant != null) {
                    results.add(verifier.verify(TenantId.of(tenant), fromSeq));
                } else {
                    results.addAll(verifier.verifyAll());
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            boolean valid = true;
            for (AuditVerification result : results) {
                out.println(result.toJson());
                valid &= result.hashChainValid();
            }
            out.flush();
            return valid ? 0 : 1;
        }
    }

    /** Requests an export through the API, waits for it, downloads the signed archive. */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Export a tenant's audit events to a signed .tar.gz.")
    public static final class Export implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--tenant", required = true, description = "Tenant id or _platform.")
        String tenant;

        @Option(names = "--from", required = true, description = "First day, YYYY-MM-DD (UTC).")
        String from;

        @Option(names = "--to", required = true, description = "Last day, YYYY-MM-DD (UTC), inclusive.")
        String to;

        @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or csv (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(
                names = "--out",
                description = "Where to write the archive (default: audit-<tenant>-<from>-<to>.tar.gz).")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("start_date", from);
            body.put("end_date", to);
            body.put("format", format);
            ClientOptions.Reply started = client.call("POST", "/api/v1/audit/" + tenant + "/export", body);
            if (!started.ok()) {
                spec.commandLine().getErr().println("frostbyte: " + started.errorLine());
                return 1;
            }
            String exportId = started.body().path("data").path("export_id").asText();
            ClientOptions.Reply status;
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            do {
                Thread.sleep(500);
                status = client.call("GET", "/api/v1/audit/" + tenant + "/export/" + exportId, null);
            } while (status.ok()
                    && List.of("pending", "running")
                            .contains(status.body().path("data").path("status").asText())
                    && System.nanoTime() < deadline);
            if (!status.ok()
                    || !status.body().path("data").path("status").asText().equals("completed")) {
                spec.commandLine()
                        .getErr()
                        .println("frostbyte: export " + exportId + " did not complete: "
                                + (status.ok()
                                        ? status.body()
                                                .path("data")
                                                .path("status")
                                                .asText()
                                        : status.errorLine()));
                return 1;
            }
            Path target = out != null ? out : Path.of("audit-" + tenant + "-" + from + "-" + to + ".tar.gz");
            HttpRequest request = HttpRequest.newBuilder(
                            client.baseUrl().resolve("api/v1/audit/" + tenant + "/export/" + exportId + "/download"))
                    .header("Authorization", "Bearer " + client.bearer())
                    .build();
            HttpResponse<InputStream> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                spec.commandLine().getErr().println("frostbyte: download failed with HTTP " + response.statusCode());
                return 1;
            }
            try (InputStream in = response.body()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("export_id", exportId);
            summary.put("file", target.toString());
            summary.put(
                    "file_sha256",
                    status.body().path("data").path("file_sha256").asText());
            summary.put(
                    "event_count",
                    status.body().path("data").path("event_count").asLong());
            spec.commandLine().getOut().println(Json.mapper().writeValueAsString(summary));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
