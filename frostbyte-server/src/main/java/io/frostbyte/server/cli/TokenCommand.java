package io.frostbyte.server.cli;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.TenantStatus;
import io.frostbyte.postgres.PostgresTenantRegistry;
import io.frostbyte.server.DatabaseRuntime;
import io.frostbyte.server.auth.IssuedToken;
import io.frostbyte.server.auth.TokenService;
import io.frostbyte.server.config.FrostbyteConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code frostbyte token issue}: issues a token on a host that holds the JWT key. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Token commands.",
        subcommands = TokenCommand.Issue.class)
public final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Prints a new token on standard output (and nothing else there). */
    @Command(
            name = "issue",
            mixinStandardHelpOptions = true,
            description = "Issue a token for a tenant or for _platform; prints it on stdout.")
    public static final class Issue implements java.util.concurrent.Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--tenant", required = true, description = "Tenant id, or _platform.")
        String tenant;

        @Option(names = "--role", required = true, description = "tenant_user, tenant_admin, auditor or admin.")
        String role;

        @Option(
                names = "--scopes",
                required = true,
                split = ",",
                description = "Comma-separated: ingest, query, audit, admin.")
        List<String> scopes;

        @Option(
                names = "--ttl",
                defaultValue = "24h",
                description =
                        "Lifetime: 30m, 24h, 90d, 3600s or ISO-8601 (PT24H); at most 90d. Default: ${DEFAULT-VALUE}.")
        String ttl;

        @Option(
                names = "--sub",
                defaultValue = "cli-operator",
                description = "Subject (no e-mail addresses). Default: ${DEFAULT-VALUE}.")
        String subject;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TenantId tenantId = TenantId.of(tenant);
            Role parsedRole = Role.fromWire(role);
            Set<Scope> parsedScopes = EnumSet.noneOf(Scope.class);
            scopes.forEach(scope -> parsedScopes.add(Scope.fromWire(scope.strip())));
            Duration lifetime = parseDuration(ttl);

            FrostbyteConfig config = options.load(Map.of());
            TokenService tokens = io.frostbyte.server.FrostbyteNode.tokenService(config, Clock.systemUTC());
            try (DatabaseRuntime database = DatabaseRuntime.forClient(config)) {
                PostgresTenantRegistry registry =
                        new PostgresTenantRegistry(database.database().dataSource(), Clock.systemUTC());
                TenantStatus status = registry.find(tenantId)
                        .orElseThrow(() -> new FrostbyteException(
                                ErrorCode.RESOURCE_NOT_FOUND, "tenant " + tenantId + " does not exist"));
                if (status.state() != TenantState.ACTIVE) {
                    throw new FrostbyteException(
                            ErrorCode.INVALID_STATE_TRANSITION,
                            "tenant " + tenantId + " is " + status.state()
                                    + "; tokens are issued only for ACTIVE tenants");
                }
                IssuedToken issued =
                        tokens.issue(subject, tenantId, parsedRole, parsedScopes, lifetime, status.keyEpoch());
                spec.commandLine().getOut().println(issued.token());
                spec.commandLine().getOut().flush();
                spec.commandLine().getErr().println("token jti " + issued.jti() + " expires " + issued.expiresAt());
            }
            return 0;
        }
    }

    private static final Pattern SHORT = Pattern.compile("^(\\d{1,9})([smhd])$");

    static Duration parseDuration(String text) {
        Matcher m = SHORT.matcher(text.strip());
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            return Duration.parse(text.strip());
        } catch (RuntimeException e) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "--ttl must look like 30m, 24h, 90d or PT24H");
        }
    }
}
