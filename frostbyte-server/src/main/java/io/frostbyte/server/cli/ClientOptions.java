package io.frostbyte.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How client commands reach a server: {@code --url} or {@code FROSTBYTE_URL} (default {@code http://127.0.0.1:8080});
 * the token from {@code --token}, {@code FROSTBYTE_TOKEN}, {@code --token-file} or {@code FROSTBYTE_TOKEN_FILE}, else
 * the local platform admin token {@code ./frostbyte-data/admin.token} when it exists. The token is never printed.
 */
public final class ClientOptions {
    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "Server URL (default: $FROSTBYTE_URL or http://127.0.0.1:8080).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token (default: $FROSTBYTE_TOKEN).")
    String token;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description =
                    "File holding the bearer token (default: $FROSTBYTE_TOKEN_FILE, else ./frostbyte-data/admin.token).")
    Path tokenFile;

    private final Map<String, String> environment;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ClientOptions() {
        this(System.getenv());
    }

    ClientOptions(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    URI baseUrl() {
        String value = url != null ? url : environment.getOrDefault("FROSTBYTE_URL", "http://127.0.0.1:8080");
        return URI.create(value.endsWith("/") ? value : value + "/");
    }

    String bearer() {
        if (token != null) {
            return token.strip();
        }
        if (environment.containsKey("FROSTBYTE_TOKEN")) {
            return environment.get("FROSTBYTE_TOKEN").strip();
        }
        Path file = tokenFile != null
                ? tokenFile
                : environment.containsKey("FROSTBYTE_TOKEN_FILE")
                        ? Path.of(environment.get("FROSTBYTE_TOKEN_FILE"))
                        : Path.of("frostbyte-data", "admin.token");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.AUTHENTICATION_REQUIRED,
                    "no token: give --token, --token-file, FROSTBYTE_TOKEN or FROSTBYTE_TOKEN_FILE (tried " + file
                            + ")");
        }
    }

    /** A response: status and parsed JSON body. */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String errorLine() {
            JsonNode error = body.path("error");
            StringBuilder line = new StringBuilder(error.path("code").asText("HTTP_" + status))
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

    Reply call(String method, String path, Object body) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl().resolve(relative))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + bearer())
                .header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(
                                method,
                                HttpRequest.BodyPublishers.ofByteArray(
                                        Json.mapper().writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode parsed = response.body().length == 0
                    ? Json.mapper().createObjectNode()
                    : Json.mapper().readTree(response.body());
            return new Reply(response.statusCode(), parsed);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "cannot reach " + baseUrl() + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "interrupted");
        }
    }
}
