package io.frostbyte.server.http;

import io.frostbyte.core.Uuid7;
import io.frostbyte.server.auth.Principal;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.regex.Pattern;

/** Per-request values kept as Javalin context attributes: the request id and, once authenticated, the principal. */
public final class RequestContext {
    public static final String REQUEST_ID_HEADER = "X-Request-ID";
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("^[A-Za-z0-9._-]{8,64}$");
    private static final String REQUEST_ID = "frostbyte.request_id";
    private static final String PRINCIPAL = "frostbyte.principal";
    private static final String STARTED = "frostbyte.started_nanos";

    private RequestContext() {}

    /** Takes the client's X-Request-ID when it is well-formed, else a new UUIDv7. */
    static String assignRequestId(Context ctx) {
        String given = ctx.header(REQUEST_ID_HEADER);
        String id = given != null && CLIENT_REQUEST_ID.matcher(given).matches() ? given : Uuid7.randomString();
        ctx.attribute(REQUEST_ID, id);
        ctx.attribute(STARTED, System.nanoTime());
        ctx.header(REQUEST_ID_HEADER, id);
        return id;
    }

    public static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID);
        return id != null ? id : assignRequestId(ctx);
    }

    static long startedNanos(Context ctx) {
        Long started = ctx.attribute(STARTED);
        return started != null ? started : System.nanoTime();
    }

    public static void principal(Context ctx, Principal principal) {
        ctx.attribute(PRINCIPAL, principal);
    }

    public static Optional<Principal> principal(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }
}
