package io.frostbyte.core.auth;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.util.Locale;

/** Token scopes (spec/08 §8.1), matched by exact string. */
public enum Scope {
    INGEST,
    QUERY,
    AUDIT,
    ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope fromWire(String text) {
        for (Scope scope : values()) {
            if (scope.wire().equals(text)) {
                return scope;
            }
        }
        throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "scope must be one of ingest, query, audit, admin");
    }
}
