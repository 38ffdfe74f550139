package io.frostbyte.server.cli.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The ingest API (spec/08 §8.3) as the {@code ingest} command uses it: one tenant, one bearer token. Answers of 429
 * and 503 are retried after their {@code Retry-After} (at most {@value #MAX_WAIT_SECONDS} s each, {@value
 * #ATTEMPTS} attempts); authentication and permission failures end the command ({@link FrostbyteException} with the
 * server's code); bodies are read up to {@value #MAX_BODY_BYTES} bytes. Not thread-safe.
 */
public final class IngestClient {
    static final int ATTEMPTS = 5;
    static final int MAX_WAIT_SECONDS = 60;
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final URI base;
    private final String bearer;
    private final String tenant;
    private final HttpClient http;

    /**
     * An answer: status and parsed JSON body (empty object when the body is not JSON).
     *
     * @param retryAfterSeconds the {@code Retry-After} header, 0 when absent
     */
    public record Reply(int status, JsonNode body, long retryAfterSeconds) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The envelope's {@code data}, or the body itself when it has none. */
        public JsonNode data() {
            return body.has("data") ? body.get("data") : body;
        }

        public String errorCode() {
            return body.path("error").path("code").asText("HTTP_" + status);
        }

        /** {@code CODE: message [field: constraint]…}, as other client commands print errors. */
        public String errorLine() {
            JsonNode error = body.path("error");
            StringBuilder line = new StringBuilder(errorCode())
                    .append(": ")
                    .append(error.path("message").asText(""));
            error.path("details")
                    .forEach(detail -> line.append(" [")
                            .append(detail.path("field").asText())
                            .append(": ")
                            .append(detail.path("constraint").asText())
                            .append(']'));
            return line.toString();
        }
    }

    /**
     * @param base the server's URL, ending in {@code /}
     * @param bearer the token (never printed)
     * @param tenant the tenant whose ingest API is used
     */
    public IngestClient(URI base, String bearer, String tenant) {
        this.base = requireNonNull(base, "base is null");
        this.bearer = requireNonNull(bearer, "bearer is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public URI base() {
        return base;
    }

    /** {@code GET …/limits}; any failure ends the command. */
    public IntakeLimits limits() {
        Reply reply = get("limits");
        if (!reply.ok()) {
            throw failure(reply);
        }
        return IntakeLimits.fromJson(reply.data());
    }

    /** {@code GET …/batch/{id}}: the status, or empty when the server has no such batch. */
    public Optional<JsonNode> batch(String batchId) {
        Reply reply = get("batch/" + batchId);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        if (!reply.ok()) {
            throw failure(reply);
        }
        return Optional.of(reply.data());
    }

    /** {@code GET …/batches}: how many batches the tenant has (for tests and summaries). */
    public long batchCount() {
        Reply reply = get("batches?limit=1");
        if (!reply.ok()) {
            throw failure(reply);
        }
        return reply.body().path("meta").path("total").asLong();
    }

    /** {@code GET …/receipt/{id}}, or empty when it cannot be had. */
    public Optional<JsonNode> receipt(String receiptId) {
        Reply reply = get("receipt/" + URLEncoder.encode(receiptId, StandardCharsets.UTF_8));
        return reply.ok() ? Optional.of(reply.data()) : Optional.empty();
    }

    /**
     * {@code GET …/batch/{id}/report?format=…}: the acceptance report when the server has one (200), else empty
     * (servers without the endpoint, or a report not ready yet).
     */
    public Optional<Reply> report(String batchId, String format) {
        Reply reply = get("batch/" + batchId + "/report?format=" + format);
        return reply.status() == 200 ? Optional.of(reply) : Optional.empty();
    }

    /** {@code GET …/batch/{id}/report?format=md} as text, if the server has it. */
    public Optional<String> reportText(String batchId, String format) {
        HttpRequest request = request("batch/" + batchId + "/report?format=" + format)
                .header("Accept", "text/markdown, text/plain, */*")
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] body = in.readNBytes(MAX_BODY_BYTES);
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (response.statusCode() != 200 || type.startsWith("application/json")) {
                    return Optional.empty();
                }
                return Optional.of(new String(body, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    /**
     * {@code POST …/batch} with the body: the server's answer, or empty when the connection broke before one arrived
     * (the caller asks for the batch to learn whether it was committed). 429 and 503 are retried.
     */
    public Optional<Reply> submit(MultipartBody body) {
        for (int attempt = 1; ; attempt++) {
            HttpRequest request = request("batch")
                    .timeout(Duration.ofMinutes(10).plusSeconds(body.length() / 1_000_000))
                    .header("Content-Type", body.contentType())
                    .POST(body.publisher())
                    .build();
            Optional<Reply> reply = send(request);
            if (reply.isEmpty() || !retriable(reply.get()) || attempt == ATTEMPTS) {
                return reply;
            }
            pause(reply.get());
        }
    }

    /** Opens the batch's event stream after {@code lastEventId} (0: from the start). */
    public HttpResponse<InputStream> events(String batchId, long lastEventId) throws IOException {
        HttpRequest.Builder request = request("batch/" + batchId + "/events")
                .header("Accept", "text/event-stream")
                .GET();
        if (lastEventId > 0) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    Reply get(String path) {
        for (int attempt = 1; ; attempt++) {
            Optional<Reply> reply = send(request(path).GET().build());
            if (reply.isEmpty()) {
                throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "cannot reach " + base);
            }
            if (!retriable(reply.get()) || attempt == ATTEMPTS) {
                return reply.get();
            }
            pause(reply.get());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve("api/v1/ingest/" + tenant + "/" + path))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json");
    }

    private Optional<Reply> send(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                throw new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR, "The server's answer is larger than " + MAX_BODY_BYTES + " bytes.");
            }
            JsonNode parsed;
            try {
                parsed = body.length == 0
                        ? Json.mapper().createObjectNode()
                        : Json.mapper().readTree(body);
            } catch (IOException e) {
                parsed = Json.mapper().createObjectNode();
            }
            long retryAfter = response.headers()
                    .firstValue("Retry-After")
                    .map(IngestClient::seconds)
                    .orElse(0L);
            return Optional.of(new Reply(
                    response.statusCode(), parsed == null ? Json.mapper().createObjectNode() : parsed, retryAfter));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    private static boolean retriable(Reply reply) {
        return reply.status() == 429 || reply.status() == 503;
    }

    private static void pause(Reply reply) {
        long seconds = Math.clamp(reply.retryAfterSeconds(), 1, MAX_WAIT_SECONDS);
        try {
            Thread.sleep(Duration.ofSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    private static long seconds(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The failure that ends the command: the server's code when it is one of ours, the server's words. */
    public static FrostbyteException failure(Reply reply) {
        String code = reply.errorCode();
        ErrorCode known = Arrays.stream(ErrorCode.values())
                .filter(value -> value.name().equals(code))
                .findFirst()
                .orElse(reply.status() == 401 ? ErrorCode.AUTHENTICATION_REQUIRED : ErrorCode.INTERNAL_ERROR);
        return new FrostbyteException(known, reply.errorLine(), List.of());
    }

    private static FrostbyteException interrupted() {
        return new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "interrupted");
    }
}
