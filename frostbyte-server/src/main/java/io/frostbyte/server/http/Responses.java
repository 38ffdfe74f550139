package io.frostbyte.server.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** The success envelope of spec/08 §8.2. */
public final class Responses {
    private Responses() {}

    public static void ok(Context ctx, Object data) {
        send(ctx, 200, data, null);
    }

    public static void created(Context ctx, Object data) {
        send(ctx, 201, data, null);
    }

    public static void accepted(Context ctx, Object data) {
        send(ctx, 202, data, null);
    }

    public static void page(Context ctx, Object data, Map<String, Object> meta) {
        send(ctx, 200, data, meta);
    }

    private static void send(Context ctx, int status, Object data, Map<String, Object> meta) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", data);
        if (meta != null) {
            body.put("meta", meta);
        }
        ctx.status(status).json(body);
    }
}
