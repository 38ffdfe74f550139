package io.frostbyte.server.http;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.server.auth.Authenticator;
import io.frostbyte.server.auth.Authenticator.Authenticated;
import io.frostbyte.server.metrics.Metrics;
import io.frostbyte.server.ratelimit.RateLimiter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP edge: Javalin on virtual threads serving the route table. Each route runs request id, plaintext check,
 * authentication (spec/08 API-1), rate limit, then its controller method; every failure is mapped by
 * {@link ErrorMapper}. Logs carry {@code request_id} and {@code tenant_id}, never bodies.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String ROUTE = "frostbyte.route";
    private static final String RETRY_AFTER = "frostbyte.retry_after";

    private final Javalin javalin;

    public ApiServer(
            List<Route> routes,
            Authenticator authenticator,
            RateLimiter rateLimiter,
            Metrics metrics,
            boolean allowPlaintext,
            java.util.function.Predicate<TenantId> storageNearlyFull) {
        requireNonNull(routes, "routes is null");
        requireNonNull(storageNearlyFull, "storageNearlyFull is null");
        requireNonNull(authenticator, "authenticator is null");
        requireNonNull(rateLimiter, "rateLimiter is null");
        requireNonNull(metrics, "metrics is null");
        this.javalin = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = Bodies.MAX_JSON_BYTES;
            cfg.http.defaultContentType = "application/json";
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), true));
            cfg.routes.before(ctx -> {
                String requestId = RequestContext.assignRequestId(ctx);
                MDC.put("request_id", requestId);
                if (!allowPlaintext && isPlaintext(ctx)) {
                    throw new FrostbyteException(ErrorCode.FORBIDDEN, "Plain HTTP is not accepted; use HTTPS.");
                }
            });
            for (Route route : routes) {
                cfg.routes.addHttpHandler(
                        route.method(),
                        route.path(),
                        ctx -> serve(ctx, route, authenticator, rateLimiter, metrics, storageNearlyFull));
            }
            cfg.routes.exception(Exception.class, (failure, ctx) -> fail(ctx, failure));
            // Javalin answers unmatched paths and methods itself; give them the error envelope too
            cfg.routes.error(
                    404, "*", ctx -> envelopeIfMissing(ctx, ErrorCode.RESOURCE_NOT_FOUND, "No such resource."));
            cfg.routes.error(
                    405, "*", ctx -> envelopeIfMissing(ctx, ErrorCode.VALIDATION_ERROR, "Method not allowed."));
            cfg.requestLogger.http((ctx, millis) -> {
                String template = ctx.attribute(ROUTE);
                metrics.recordRequest(
                        template != null ? template : "unmatched",
                        ctx.method().name(),
                        ctx.statusCode(),
                        System.nanoTime() - RequestContext.startedNanos(ctx));
                MDC.remove("request_id");
                MDC.remove("tenant_id");
            });
        });
    }

    private static boolean isPlaintext(Context ctx) {
        if ("https".equalsIgnoreCase(ctx.scheme())) {
            return false;
        }
        return !"https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static void serve(
            Context ctx,
            Route route,
            Authenticator authenticator,
            RateLimiter rateLimiter,
            Metrics metrics,
            java.util.function.Predicate<TenantId> storageNearlyFull)
            throws Exception {
        ctx.attribute(ROUTE, route.path());
        if (route.access().authenticated()) {
            Optional<String> pathTenant = route.access().tenantPathParam().map(ctx::pathParam);
            Authenticated caller = authenticator.authenticate(ctx.header("Authorization"), route.access(), pathTenant);
            RequestContext.principal(ctx, caller.principal());
            TenantId tenant = caller.tenant()
                    .map(t -> t.tenantId())
                    .orElse(caller.principal().tenantId());
            MDC.put("tenant_id", tenant.value());
            if (route.rateLimit().isPresent()) {
                int multiplier = caller.tenant().map(t -> t.tierMultiplier()).orElse(1);
                RateLimiter.Decision decision = rateLimiter.tryAcquire(
                        route.rateLimit().get(), tenant, multiplier, storageNearlyFull.test(tenant));
                ctx.header("X-RateLimit-Limit", Integer.toString(decision.limit()));
                ctx.header("X-RateLimit-Remaining", Long.toString(decision.remaining()));
                ctx.header("X-RateLimit-Reset", Long.toString(decision.resetSeconds()));
                if (!decision.allowed()) {
                    metrics.rateLimitRejected(route.rateLimit().get().wire(), tenant.value());
                    ctx.attribute(RETRY_AFTER, decision.retryAfterSeconds());
                    throw new FrostbyteException(ErrorCode.RATE_LIMIT_EXCEEDED, "Rate limit exceeded; retry later.");
                }
            }
        }
        route.handler().handle(ctx);
    }

    private static void fail(Context ctx, Exception failure) {
        ErrorMapper.Mapped mapped = ErrorMapper.map(failure);
        String requestId = RequestContext.requestId(ctx);
        if (mapped.status() >= 500) {
            LOG.error(
                    "request failed: code={} exception_class={} stack_trace_hash={}",
                    mapped.code(),
                    failure.getClass().getName(),
                    ErrorMapper.stackTraceHash(failure));
        } else {
            LOG.info("request refused: code={} status={}", mapped.code(), mapped.status());
        }
        Long retryAfter = ctx.attribute(RETRY_AFTER);
        if (mapped.status() == 429 || mapped.status() == 503) {
            ctx.header("Retry-After", Long.toString(retryAfter != null ? retryAfter : mapped.status() == 503 ? 30 : 1));
        }
        ctx.header(RequestContext.REQUEST_ID_HEADER, requestId);
        ctx.status(mapped.status()).json(ErrorMapper.envelope(mapped, requestId));
    }

    private static void envelopeIfMissing(Context ctx, ErrorCode code, String message) {
        String body = ctx.result();
        if (body != null && body.startsWith("{\"success\":false")) {
            return;
        }
        String requestId = RequestContext.requestId(ctx);
        ctx.json(ErrorMapper.envelope(new ErrorMapper.Mapped(ctx.statusCode(), code, message, List.of()), requestId));
    }

    /** Sets the {@code Retry-After} seconds of a 429 or 503 answer this request may end with (default 1 and 30). */
    public static void retryAfter(Context ctx, long seconds) {
        ctx.attribute(RETRY_AFTER, seconds);
    }

    public ApiServer start(String host, int port) {
        javalin.start(host, port);
        return this;
    }

    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }
}
