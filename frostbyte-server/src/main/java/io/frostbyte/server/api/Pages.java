package io.frostbyte.server.api;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Page pagination (spec/08 §8.2): {@code page} from 1, {@code limit} with a default and a maximum. */
final class Pages {
    private Pages() {}

    static int page(Context ctx) {
        return integer(ctx, "page", 1, 1, 1_000_000);
    }

    static int limit(Context ctx, int defaultLimit, int max) {
        return integer(ctx, "limit", defaultLimit, 1, max);
    }

    static int integer(Context ctx, String name, int defaultValue, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Query is invalid.",
                    List.of(new FrostbyteException.ErrorDetail(
                            name, raw.length() > 32 ? raw.substring(0, 32) : raw, min + " <= " + name + " <= " + max)));
        }
    }

    static Map<String, Object> meta(long total, int page, int limit) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("total", total);
        meta.put("page", page);
        meta.put("limit", limit);
        meta.put("pages", (total + limit - 1) / limit);
        return meta;
    }
}
