package io.frostbyte.server.http;

import static java.util.Objects.requireNonNull;

import io.frostbyte.server.auth.AccessRule;
import io.frostbyte.server.ratelimit.RateLimitArea;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Optional;

/**
 * One API route: what it is for (the OpenAPI document is generated from these), who may call it, its rate-limit
 * area, and the controller method that serves it.
 *
 * @param responses the statuses it documents beyond the common ones, e.g. {@code 201}, {@code 409}
 */
public record Route(
        HandlerType method,
        String path,
        String operationId,
        String summary,
        String tag,
        AccessRule access,
        Optional<RateLimitArea> rateLimit,
        Optional<String> requestBody,
        List<Integer> responses,
        String produces,
        Handler handler) {
    public Route {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(operationId, "operationId is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(tag, "tag is null");
        requireNonNull(access, "access is null");
        requireNonNull(rateLimit, "rateLimit is null");
        requireNonNull(requestBody, "requestBody is null");
        responses = List.copyOf(responses);
        requireNonNull(produces, "produces is null");
        requireNonNull(handler, "handler is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with /: " + path);
        }
    }

    public static Builder get(String path, Handler handler) {
        return new Builder(HandlerType.GET, path, handler);
    }

    public static Builder post(String path, Handler handler) {
        return new Builder(HandlerType.POST, path, handler);
    }

    public static Builder patch(String path, Handler handler) {
        return new Builder(HandlerType.PATCH, path, handler);
    }

    public List<String> pathParameters() {
        return java.util.regex.Pattern.compile("\\{([a-z_]+)}")
                .matcher(path)
                .results()
                .map(m -> m.group(1))
                .toList();
    }

    /** A small builder so the route table reads as a table. */
    public static final class Builder {
        private final HandlerType method;
        private final String path;
        private final Handler handler;
        private String operationId;
        private String summary = "";
        private String tag = "platform";
        private AccessRule access = AccessRule.open();
        private Optional<RateLimitArea> rateLimit = Optional.empty();
        private Optional<String> requestBody = Optional.empty();
        private List<Integer> responses = List.of(200);
        private String produces = "application/json";

        private Builder(HandlerType method, String path, Handler handler) {
            this.method = method;
            this.path = path;
            this.handler = handler;
        }

        public Builder operation(String operationId, String summary) {
            this.operationId = operationId;
            this.summary = summary;
            return this;
        }

        public Builder tag(String tag) {
            this.tag = tag;
            return this;
        }

        public Builder access(AccessRule access) {
            this.access = access;
            return this;
        }

        public Builder rateLimit(RateLimitArea area) {
            this.rateLimit = Optional.of(area);
            return this;
        }

        public Builder requestBody(String schemaName) {
            this.requestBody = Optional.of(schemaName);
            return this;
        }

        public Builder responses(Integer... statuses) {
            this.responses = List.of(statuses);
            return this;
        }

        public Builder produces(String mediaType) {
            this.produces = mediaType;
            return this;
        }

        public Route build() {
            return new Route(
                    method,
                    path,
                    operationId,
                    summary,
                    tag,
                    access,
                    rateLimit,
                    requestBody,
                    responses,
                    produces,
                    handler);
        }
    }
}
