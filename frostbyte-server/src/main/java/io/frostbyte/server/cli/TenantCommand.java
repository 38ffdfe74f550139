package io.frostbyte.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.server.http.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code frostbyte tenant ...}: the tenant admin API (spec/08 §8.6) from the command line. */
@Command(
        name = "tenant",
        mixinStandardHelpOptions = true,
        description = "Create, provision, suspend, resume and deprovision tenants (through the admin API).",
        subcommands = {
            TenantCommand.Create.class,
            TenantCommand.ListTenants.class,
            TenantCommand.Get.class,
            TenantCommand.Provision.class,
            TenantCommand.Retry.class,
            TenantCommand.Suspend.class,
            TenantCommand.Resume.class,
            TenantCommand.Deprovision.class,
            TenantCommand.Abandon.class,
            TenantCommand.Configure.class,
            TenantCommand.Token.class,
            TenantCommand.RevokeTokens.class,
            TenantCommand.Keys.class,
            TenantCommand.RotateKey.class,
            TenantCommand.Reindex.class
        })
public final class TenantCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Shared plumbing: call, print the data as JSON, exit 0; or print the error line, exit 1. */
    abstract static class Call implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        int run(String method, String path, Object body) {
            ClientOptions.Reply reply = client.call(method, path, body);
            PrintWriter out = spec.commandLine().getOut();
            if (!reply.ok()) {
                spec.commandLine().getErr().println("frostbyte: " + reply.errorLine());
                spec.commandLine().getErr().flush();
                return 1;
            }
            JsonNode data = reply.body().has("data") ? reply.body().get("data") : reply.body();
            try {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(data));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            out.flush();
            return 0;
        }

        static String tenantPath(String tenant) {
            return "/api/v1/admin/tenants/" + tenant;
        }
    }

    abstract static class ReasonCall extends Call {
        @Option(
                names = "--reason",
                required = true,
                description = "Why (kept out of the audit log; only its hash is recorded).")
        String reason;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Register a tenant and provision it.")
    static final class Create extends Call {
        @Option(names = "--name", required = true, description = "Tenant name.")
        String name;

        @Option(
                names = "--email",
                required = true,
                description = "Contact e-mail (kept in the registry, never in the audit log).")
        String email;

        @Option(
                names = "--tier",
                defaultValue = "standard",
                description = "standard, premium or enterprise (default: ${DEFAULT-VALUE}).")
        String tier;

        @Option(names = "--id", description = "Tenant id (default: derived from the name).")
        String id;

        @Option(names = "--no-provision", description = "Only register (state PENDING).")
        boolean noProvision;

        @Option(
                names = "--set",
                paramLabel = "KEY=VALUE",
                description = "Tenant configuration, e.g. --set max_batch_size=500 (JSON values allowed).")
        List<String> settings = new ArrayList<>();

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant_name", name);
            body.put("contact_email", email);
            body.put("tier", tier);
            if (id != null) {
                body.put("tenant_id", id);
            }
            body.put("provision", !noProvision);
            if (!settings.isEmpty()) {
                body.put("config", parseSettings(settings));
            }
            return run("POST", "/api/v1/admin/tenants", body);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants.")
    static final class ListTenants extends Call {
        @Option(names = "--state", description = "Only tenants in this state.")
        String state;

        @Option(names = "--page", defaultValue = "1")
        int page;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Override
        public Integer call() {
            return run(
                    "GET",
                    "/api/v1/admin/tenants?page=" + page + "&limit=" + limit + (state == null ? "" : "&state=" + state),
                    null);
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Show a tenant (with its deletion receipt once deprovisioned).")
    static final class Get extends Call {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Override
        public Integer call() {
            return run("GET", tenantPath(tenant), null);
        }
    }

    @Command(name = "provision", mixinStandardHelpOptions = true, description = "Provision a PENDING tenant.")
    static final class Provision extends Call {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Override
        public Integer call() {
            return run("POST", tenantPath(tenant) + "/provision", Map.of("reason", "cli"));
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Retry provisioning of a FAILED tenant.")
    static final class Retry extends Call {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Override
        public Integer call() {
            return run("POST", tenantPath(tenant) + "/retry", Map.of("reason", "cli"));
        }
    }

    @Command(
            name = "suspend",
            mixinStandardHelpOptions = true,
            description = "Kill-switch: revoke every token, pause jobs, block the API.")
    static final class Suspend extends ReasonCall {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Override
        public Integer call() {
            return run("POST", tenantPath(tenant) + "/suspend", Map.of("reason", reason));
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Resume a suspended tenant (old tokens stay revoked).")
    static final class Resume extends ReasonCall {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Override
        public Integer call() {
            return run("POST", tenantPath(tenant) + "/resume", Map.of("reason", reason));
        }
    }

    @Command(
            name = "deprovision",
            mixinStandardHelpOptions = true,
            description = "Delete the tenant's stores and crypto-shred its keys (irreversible).")
    static final class Deprovision extends ReasonCall {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Option(
                names = "--confirm",
                required = true,
                paramLabel = "TENANT",
                description = "Repeat the tenant id to confirm.")
        String confirm;

        @Override
        public Integer call() {
            return run(
                    "POST",
                    tenantPath(tenant) + "/deprovision",
                    Map.of("reason", reason, "confirm", true, "confirm_tenant_id", confirm));
        }
    }

    @Command(
            name = "abandon",
            mixinStandardHelpOptions = true,
            description = "Give up on a FAILED tenant: run the deprovision cascade.")
    static final class Abandon extends ReasonCall {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Option(
                names = "--confirm",
                required = true,
                paramLabel = "TENANT",
                description = "Repeat the tenant id to confirm.")
        String confirm;

        @Override
        public Integer call() {
            return run("POST", tenantPath(tenant) + "/abandon", Map.of("reason", reason, "confirm_tenant_id", confirm));
        }
    }

    @Command(
            name = "config",
            mixinStandardHelpOptions = true,
            description = "Change tenant configuration: frostbyte tenant config T --set key=value --reason R.")
    static final class Configure extends ReasonCall {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Option(names = "--set", required = true, paramLabel = "KEY=VALUE")
        List<String> settings = new ArrayList<>();

        @Option(names = "--tier")
        String tier;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("config", parseSettings(settings));
            if (tier != null) {
                body.put("tier", tier);
            }
            body.put("reason", reason);
            return run("PATCH", tenantPath(tenant), body);
        }
    }

    @Command(
            name = "token",
            mixinStandardHelpOptions = true,
            description = "Issue a token for a tenant role through the API; prints JSON with the token.")
    static final class Token extends Call {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Option(names = "--role", required = true, description = "tenant_user, tenant_admin or auditor.")
        String role;

        @Option(names = "--scopes", required = true, split = ",")
        List<String> scopes;

        @Option(names = "--sub", defaultValue = "cli-operator")
        String subject;

        @Option(names = "--ttl-seconds", defaultValue = "86400")
        long ttlSeconds;

        @Override
        public Integer call() {
            return run(
                    "POST",
                    tenantPath(tenant) + "/tokens",
                    Map.of("sub", subject, "role", role, "scopes", scopes, "ttl_seconds", ttlSeconds));
        }
    }

    @Command(
            name = "revoke-tokens",
            mixinStandardHelpOptions = true,
            description = "Revoke every token of the tenant (epoch + 1) without suspending it.")
    static final class RevokeTokens extends ReasonCall {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Override
        public Integer call() {
            return run("POST", tenantPath(tenant) + "/tokens/revoke-all", Map.of("reason", reason));
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Show the tenant's KEK versions.")
    static final class Keys extends Call {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Override
        public Integer call() {
            return run("GET", tenantPath(tenant) + "/keys", null);
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true, description = "Make a new KEK version primary.")
    static final class RotateKey extends ReasonCall {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Override
        public Integer call() {
            return run("POST", tenantPath(tenant) + "/keys/rotate", Map.of("reason", reason));
        }
    }

    @Command(
            name = "reindex",
            mixinStandardHelpOptions = true,
            description = "Re-embed the tenant's chunks with another embedding profile into a new index generation and"
                    + " switch to it when complete (queries use the current one until then).")
    static final class Reindex extends Call {
        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Option(
                names = "--model",
                paramLabel = "PROFILE",
                description = "Embedding profile, e.g. minilm-384 or openai-768 (default: the deployment's).")
        String model;

        @Option(
                names = "--reason",
                defaultValue = "index rebuild from the command line",
                description = "Why (only its hash is recorded; default: ${DEFAULT-VALUE}).")
        String reason;

        @Option(names = "--wait", description = "Wait until the rebuild has switched or failed, showing progress.")
        boolean await;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reason", reason);
            if (model != null) {
                body.put("embedding_profile", model);
            }
            if (!await) {
                return run("POST", tenantPath(tenant) + "/index/rebuild", body);
            }
            ClientOptions.Reply started = client.call("POST", tenantPath(tenant) + "/index/rebuild", body);
            if (!started.ok()) {
                spec.commandLine().getErr().println("frostbyte: " + started.errorLine());
                spec.commandLine().getErr().flush();
                return 1;
            }
            int target = started.body().path("data").path("target_generation").asInt();
            PrintWriter out = spec.commandLine().getOut();
            String last = "";
            while (true) {
                ClientOptions.Reply status = client.call("GET", tenantPath(tenant) + "/index", null);
                if (!status.ok()) {
                    spec.commandLine().getErr().println("frostbyte: " + status.errorLine());
                    spec.commandLine().getErr().flush();
                    return 1;
                }
                JsonNode generation = null;
                for (JsonNode candidate : status.body().path("data").path("generations")) {
                    if (candidate.path("generation").asInt() == target) {
                        generation = candidate;
                    }
                }
                String state = generation == null
                        ? "unknown"
                        : generation.path("status").asText();
                String line = "g" + target + " " + state + " "
                        + (generation == null
                                ? ""
                                : generation.path("chunks_done").asLong() + "/"
                                        + generation.path("chunks_total").asLong() + " chunks");
                if (!line.equals(last)) {
                    out.println(line);
                    out.flush();
                    last = line;
                }
                if (!state.equals("building")) {
                    return state.equals("current") ? 0 : 1;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
            }
        }
    }

    static Map<String, Object> parseSettings(List<String> settings) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq < 1) {
                throw new CommandLine.ParameterException(
                        new CommandLine(new TenantCommand()), "--set needs KEY=VALUE: " + setting);
            }
            String key = setting.substring(0, eq);
            String raw = setting.substring(eq + 1);
            Object value;
            try {
                value = Json.mapper().readValue(raw, Object.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                value = raw;
            }
            config.put(key, value);
        }
        return config;
    }
}
