package io.frostbyte.embed.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * A local OpenAI-compatible {@code POST /v1/embeddings} (JDK HTTP server on 127.0.0.1, random port). By default it
 * answers like the real API: one deterministic vector per input of the requested {@code dimensions}, items listed in
 * reverse order with their {@code index}. Scripted faults are served first, one per request.
 */
final class FakeEmbeddingsServer implements AutoCloseable {
    /** One scripted answer. */
    record Fault(int status, String body, String retryAfter, long delayMillis, int dimensionOverride) {
        static Fault status(int status, String body) {
            return new Fault(status, body, null, 0, 0);
        }
    }

    /** One request as the server saw it. */
    record Seen(String authorization, String contentType, JsonNode body) {}

    static final String KEY = "sk-test-0123456789abcdef";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    FakeEmbeddingsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", this::handle);
        // a slow answer must not hold up the client's retry
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    synchronized void enqueue(Fault fault) {
        faults.add(fault);
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    private synchronized Fault nextFault() {
        return faults.poll();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(new Seen(auth, exchange.getRequestHeaders().getFirst("Content-Type"), body));
            Fault fault = nextFault();
            if (fault != null && fault.delayMillis() > 0) {
                try {
                    Thread.sleep(fault.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (!("Bearer " + KEY).equals(auth)) {
                send(exchange, 401, null, error("Incorrect API key provided", "invalid_api_key"));
                return;
            }
            if (fault != null && fault.status() != 200) {
                send(exchange, fault.status(), fault.retryAfter(), fault.body());
                return;
            }
            if (fault != null && fault.body() != null) {
                send(exchange, 200, null, fault.body());
                return;
            }
            int dimensions = fault != null && fault.dimensionOverride() > 0
                    ? fault.dimensionOverride()
                    : body.path("dimensions").asInt(1536);
            ObjectNode response = MAPPER.createObjectNode();
            response.put("object", "list");
            ArrayNode data = response.putArray("data");
            JsonNode input = body.get("input");
            for (int i = input.size() - 1; i >= 0; i--) {
                ObjectNode item = data.addObject();
                item.put("object", "embedding");
                item.put("index", i);
                ArrayNode vector = item.putArray("embedding");
                for (float v : vectorFor(input.get(i).asText(), dimensions)) {
                    vector.add(v);
                }
            }
            response.put("model", body.path("model").asText());
            response.putObject("usage").put("prompt_tokens", 7).put("total_tokens", 7);
            send(exchange, 200, null, MAPPER.writeValueAsString(response));
        }
    }

    /** A deterministic non-normalized vector of the text (the client normalizes). */
    static float[] vectorFor(String text, int dimensions) {
        float[] v = new float[dimensions];
        int h = text.hashCode();
        for (int d = 0; d < dimensions; d++) {
            h = h * 1_103_515_245 + 12_345;
            v[d] = ((h >>> 8) % 2000 - 1000) / 500f;
        }
        return v;
    }

    static String error(String message, String code) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\",\"code\":\"" + code
                + "\"}}";
    }

    private static void send(HttpExchange exchange, int status, String retryAfter, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
