package io.frostbyte.server.cli.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Follows a batch to its terminal status through its event stream (spec/01 §1.9), showing {@link StageProgress}:
 * replays from the start, reconnects with {@code Last-Event-ID} when the server closes the stream, treats a stream
 * silent for {@value #IDLE_SECONDS} s (the server sends a heartbeat every 15 s) as lost, and polls the batch status
 * every 5 s while no stream can be had. Lines are read up to {@value #MAX_LINE_BYTES} bytes. {@code revoked} ends the
 * command with {@code TOKEN_REVOKED}.
 */
public final class BatchFollower {
    static final int IDLE_SECONDS = 45;
    static final int MAX_LINE_BYTES = 1024 * 1024;
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "COMPLETED_WITH_ERRORS", "FAILED");
    private static final Duration POLL = Duration.ofSeconds(5);

    private final IngestClient client;
    private final PrintWriter err;
    private final boolean inPlace;

    public BatchFollower(IngestClient client, PrintWriter err, boolean inPlace) {
        this.client = requireNonNull(client, "client is null");
        this.err = requireNonNull(err, "err is null");
        this.inPlace = inPlace;
    }

    /** Whether a batch status is terminal. */
    public static boolean terminal(JsonNode status) {
        return TERMINAL.contains(status.path("status").asText());
    }

    /**
     * Follows the batch until it is terminal or {@code deadline} passes.
     *
     * @return the final batch status, or empty when the deadline passed first
     */
    public Optional<JsonNode> follow(String batchId, Instant deadline) {
        JsonNode status = client.batch(batchId)
                .orElseThrow(() -> new FrostbyteException(
                        ErrorCode.RESOURCE_NOT_FOUND, "The server does not know batch " + batchId + "."));
        StageProgress progress = new StageProgress(status, err, inPlace);
        progress.show();
        long lastId = 0;
        int failures = 0;
        try {
            while (!terminal(status) && Instant.now().isBefore(deadline)) {
                Stream stream = open(batchId, lastId);
                if (stream == null) {
                    failures++;
                } else {
                    long before = lastId;
                    Ending ending = stream.read(progress, deadline);
                    lastId = stream.lastId;
                    failures = lastId > before ? 0 : failures + 1;
                    if (ending == Ending.END) {
                        break;
                    }
                }
                if (failures > 0) {
                    // no usable stream: poll instead, at the rate spec/11 §11.3 asks for
                    sleep(POLL);
                    status = client.batch(batchId).orElse(status);
                    progress.finish();
                    progress = new StageProgress(status, err, inPlace);
                    progress.show();
                }
            }
        } finally {
            progress.finish();
        }
        JsonNode last = client.batch(batchId).orElse(status);
        return terminal(last) ? Optional.of(last) : Optional.empty();
    }

    private Stream open(String batchId, long lastId) {
        HttpResponse<InputStream> response;
        try {
            response = client.events(batchId, lastId);
        } catch (IOException e) {
            err.println("event stream of " + batchId + " unavailable ("
                    + e.getClass().getSimpleName() + "); polling the batch status");
            err.flush();
            return null;
        }
        if (response.statusCode() == 200) {
            return new Stream(response.body(), lastId);
        }
        err.println("event stream of " + batchId + " unavailable (HTTP " + response.statusCode()
                + "); polling the batch status");
        err.flush();
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(64 * 1024);
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                JsonNode parsed = Json.mapper().readTree(bytes);
                throw IngestClient.failure(new IngestClient.Reply(response.statusCode(), parsed, 0));
            }
        } catch (IOException e) {
            // treated as no stream
        }
        return null;
    }

    private enum Ending {
        END,
        CLOSED
    }

    /** One connection's events, read on a virtual thread and handed over through a queue. */
    private final class Stream {
        private static final Event CLOSED = new Event(-1, "", "");
        private static final Event COMMENT = new Event(-1, "", "");

        private final InputStream body;
        private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>(10_000);
        private long lastId;

        Stream(InputStream body, long lastId) {
            this.body = new java.io.BufferedInputStream(body, 8192);
            this.lastId = lastId;
        }

        Ending read(StageProgress progress, Instant deadline) {
            Thread reader = Thread.ofVirtual().name("frostbyte-ingest-events").start(this::parse);
            Instant lastActivity = Instant.now();
            try {
                while (true) {
                    Event event = queue.poll(1, TimeUnit.SECONDS);
                    Instant now = Instant.now();
                    if (event == null) {
                        if (now.isAfter(deadline)
                                || Duration.between(lastActivity, now).toSeconds() >= IDLE_SECONDS) {
                            return Ending.CLOSED;
                        }
                        continue;
                    }
                    lastActivity = now;
                    if (event == CLOSED) {
                        return Ending.CLOSED;
                    }
                    if (event == COMMENT) {
                        continue;
                    }
                    if (event.id() > 0) {
                        lastId = event.id();
                    }
                    switch (event.type()) {
                        case "stage" -> progress.apply(Json.mapper().readTree(event.data()));
                        case "end" -> {
                            return Ending.END;
                        }
                        case "revoked" ->
                            throw new FrostbyteException(
                                    ErrorCode.TOKEN_REVOKED,
                                    "The server ended the event stream: the token was revoked or the tenant suspended.");
                        default -> {
                            // batch status changes show in the stage counts
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "interrupted");
            } catch (IOException e) {
                return Ending.CLOSED;
            } finally {
                reader.interrupt();
                try {
                    body.close();
                } catch (IOException e) {
                    // the stream is abandoned either way
                }
            }
        }

        // text/event-stream: "field: value" lines, a blank line dispatches, ":" starts a comment
        private void parse() {
            long id = -1;
            String type = "message";
            StringBuilder data = new StringBuilder();
            try {
                String line;
                while ((line = line()) != null) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            queue.put(new Event(id, type, data.toString()));
                        }
                        id = -1;
                        type = "message";
                        data.setLength(0);
                    } else if (line.startsWith(":")) {
                        queue.put(COMMENT);
                    } else {
                        int colon = line.indexOf(':');
                        String field = colon < 0 ? line : line.substring(0, colon);
                        String value = colon < 0 ? "" : line.substring(colon + 1);
                        if (value.startsWith(" ")) {
                            value = value.substring(1);
                        }
                        switch (field) {
                            case "id" -> id = parseId(value);
                            case "event" -> type = value;
                            case "data" -> {
                                if (data.length() + value.length() > MAX_LINE_BYTES) {
                                    throw new IOException("an event is larger than " + MAX_LINE_BYTES + " bytes");
                                }
                                data.append(data.isEmpty() ? "" : "\n").append(value);
                            }
                            default -> {
                                // retry and unknown fields are ignored (the reconnect pace is ours)
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // closed or broken: reported as CLOSED below
            } catch (InterruptedException e) {
                return;
            }
            queue.offer(CLOSED);
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = body.read()) >= 0) {
                if (b == '\n') {
                    return trimCr(line);
                }
                if (line.size() >= MAX_LINE_BYTES) {
                    throw new IOException("a line is longer than " + MAX_LINE_BYTES + " bytes");
                }
                line.write(b);
            }
            return line.size() == 0 ? null : trimCr(line);
        }

        private static String trimCr(ByteArrayOutputStream line) {
            String text = line.toString(StandardCharsets.UTF_8);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        private static long parseId(String value) {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    private record Event(long id, String type, String data) {}

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "interrupted");
        }
    }
}
