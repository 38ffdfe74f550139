package io.frostbyte.server.index;

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
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local OpenAI-compatible {@code POST /v1/embeddings} (JDK HTTP server on 127.0.0.1, random port) answering like the
 * documented API with bag-of-words vectors of the requested {@code dimensions}: every lower-cased word adds 1 to the
 * component its hash picks, so texts that share words are similar and vector search ranks meaningfully. Requests can
 * be held at a gate, so a test can look at a rebuild while it is running.
 */
final class FakeEmbeddingsServer implements AutoCloseable {
    static final String KEY = "sk-test-reindex-0123456789";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile boolean failing;

    FakeEmbeddingsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    /** Holds every request until {@link #open()}. */
    void close(boolean closed) {
        gate = closed ? new CountDownLatch(1) : new CountDownLatch(0);
    }

    /** Answers every request with 400 (a request the API refuses; not retried). */
    void failing(boolean failing) {
        this.failing = failing;
    }

    void open() {
        gate.countDown();
    }

    int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            requests.incrementAndGet();
            try {
                if (!gate.await(120, TimeUnit.SECONDS)) {
                    send(exchange, 503, "{\"error\":{\"message\":\"gate\",\"type\":\"server_error\"}}");
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key\",\"code\":\"invalid_api_key\"}}");
                return;
            }
            if (failing) {
                send(exchange, 400, "{\"error\":{\"message\":\"refused\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            int dimensions = body.path("dimensions").asInt(1536);
            ObjectNode response = MAPPER.createObjectNode();
            response.put("object", "list");
            ArrayNode data = response.putArray("data");
            JsonNode input = body.get("input");
            for (int i = 0; i < input.size(); i++) {
                ObjectNode item = data.addObject();
                item.put("object", "embedding");
                item.put("index", i);
                ArrayNode vector = item.putArray("embedding");
                for (float v : bagOfWords(input.get(i).asText(), dimensions)) {
                    vector.add(v);
                }
            }
            response.put("model", body.path("model").asText());
            response.putObject("usage").put("prompt_tokens", 1).put("total_tokens", 1);
            send(exchange, 200, MAPPER.writeValueAsString(response));
        }
    }

    static float[] bagOfWords(String text, int dimensions) {
        float[] v = new float[dimensions];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode(), dimensions)] += 1;
            }
        }
        v[dimensions - 1] += 0.01f; // never a zero vector
        return v;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        open();
        server.stop(0);
    }
}
