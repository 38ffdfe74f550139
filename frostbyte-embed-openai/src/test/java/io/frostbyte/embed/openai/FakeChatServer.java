package io.frostbyte.embed.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local OpenAI-compatible {@code POST /v1/chat/completions} (JDK HTTP server on 127.0.0.1, random port) whose
 * "model" is a function of the request: honest or adversarial. Scripted faults are served first, one per request.
 */
final class FakeChatServer implements AutoCloseable {
    static final String KEY = "sk-chat-test-0123456789abcdef";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern EXCERPT_ID = Pattern.compile("(?m)^\\[(chk_[0-9a-f]{24})]$");

    /** One request as the server saw it. */
    record Seen(String authorization, JsonNode body) {
        String system() {
            return body.get("messages").get(0).get("content").asText();
        }

        String user() {
            return body.get("messages").get(1).get("content").asText();
        }

        /** The excerpt ids in the user message, in order. */
        List<String> excerptIds() {
            List<String> ids = new ArrayList<>();
            Matcher m = EXCERPT_ID.matcher(user());
            while (m.find()) {
                ids.add(m.group(1));
            }
            return ids;
        }

        /** The text of the excerpt introduced by {@code id}. */
        String excerpt(String id) {
            String user = user();
            int start = user.indexOf("[" + id + "]\n") + id.length() + 3;
            int end = user.indexOf("\n\n", start);
            return user.substring(start, end);
        }
    }

    /** One scripted fault. */
    record Fault(int status, String retryAfter, long delayMillis) {}

    private final HttpServer server;
    private final Function<Seen, String> model;
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    FakeChatServer(Function<Seen, String> model) throws IOException {
        this.model = model;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
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
            Seen request = new Seen(auth, body);
            seen.add(request);
            Fault fault = nextFault();
            if (fault != null && fault.delayMillis() > 0) {
                try {
                    Thread.sleep(fault.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (!("Bearer " + KEY).equals(auth)) {
                send(exchange, 401, null, "{\"error\":{\"message\":\"Incorrect API key provided: " + auth + "\"}}");
                return;
            }
            if (fault != null && fault.status() != 200) {
                send(exchange, fault.status(), fault.retryAfter(), "{\"error\":{\"message\":\"overloaded\"}}");
                return;
            }
            ObjectNode response = MAPPER.createObjectNode();
            response.put("id", "chatcmpl-1");
            response.put("object", "chat.completion");
            response.put("model", body.path("model").asText());
            ObjectNode choice = response.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", model.apply(request));
            choice.put("finish_reason", "stop");
            send(exchange, 200, null, MAPPER.writeValueAsString(response));
        }
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
