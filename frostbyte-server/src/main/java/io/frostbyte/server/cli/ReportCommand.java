package io.frostbyte.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code frostbyte report --tenant T BATCH_ID} (spec/11 §11.2, issue 9): fetches a batch's acceptance report from
 * {@code GET /api/v1/ingest/{t}/batch/{id}/report?format=…} and prints it on stdout or writes it to {@code --out}.
 * While the server answers 409 {@code RESOURCE_NOT_READY} (the batch is still processing, or its report is being
 * generated) the command asks again, for at most {@code --wait-seconds}; 429 and 503 are retried the same way. The JSON
 * form is the report object itself, pretty-printed (as {@code frostbyte ingest} writes it); md, csv and html are the
 * server's text unchanged.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Print or save a batch's acceptance report, waiting while it is being generated.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the report was printed or written",
            "1:an error: server unreachable, authentication, no such batch or tenant, or FILE could not be written",
            "2:invalid command line",
            "3:the report was not ready within --wait-seconds (the batch is still processing: run again later)"
        })
public final class ReportCommand implements Callable<Integer> {
    /** Exit code when the report was still not ready when the wait ended. */
    public static final int EXIT_NOT_READY = 3;

    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    private static final Pattern BATCH_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    /** The report's forms, as the server names them. */
    enum Format {
        json,
        md,
        csv,
        html
    }

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "BATCH_ID", description = "The batch whose report is wanted.")
    String batchId;

    @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "The batch's tenant.")
    String tenant;

    @Option(
            names = "--format",
            defaultValue = "json",
            paramLabel = "FORMAT",
            description = "json, md, csv or html (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path out;

    @Option(
            names = "--wait-seconds",
            defaultValue = "600",
            paramLabel = "N",
            description = "How long to wait for a report not ready yet (0–86400, 0: do not wait;"
                    + " default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        validate();
        PrintWriter err = spec.commandLine().getErr();
        String path = "api/v1/ingest/" + tenant + "/batch/" + batchId + "/report?format=" + format.name();
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        boolean told = false;
        Duration pause = Duration.ofMillis(500);
        try (HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()) {
            while (true) {
                Answer answer = get(http, path);
                if (answer.status() == 200) {
                    return deliver(answer);
                }
                boolean notReady = answer.status() == 409
                        && ErrorCode.RESOURCE_NOT_READY.name().equals(answer.errorCode());
                if (!notReady && answer.status() != 429 && answer.status() != 503) {
                    err.println("frostbyte: " + answer.errorLine());
                    err.flush();
                    return 1;
                }
                Duration wait = answer.retryAfter().isZero() ? pause : min(answer.retryAfter(), MAX_PAUSE);
                if (System.nanoTime() + wait.toNanos() - deadline > 0) {
                    err.println("frostbyte report: the report of batch " + batchId + " is not ready after "
                            + waitSeconds + " s (" + answer.errorCode() + "); run the command again later");
                    err.flush();
                    return EXIT_NOT_READY;
                }
                if (!told) {
                    err.println("frostbyte report: batch " + batchId + ": " + answer.errorCode() + ", waiting up to "
                            + waitSeconds + " s for its report");
                    err.flush();
                    told = true;
                }
                sleep(wait);
                pause = min(pause.multipliedBy(2), MAX_PAUSE);
            }
        }
    }

    private void validate() {
        try {
            TenantId.of(tenant);
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tenant: not a tenant id: " + tenant);
        }
        if (!BATCH_ID.matcher(batchId).matches()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "BATCH_ID: 1 to 128 of A-Z a-z 0-9 . _ -, starting with a letter or digit");
        }
        if (waitSeconds < 0 || waitSeconds > 86_400) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wait-seconds: 0 to 86400");
        }
    }

    private int deliver(Answer answer) throws IOException {
        byte[] bytes = answer.body();
        if (format == Format.json) {
            JsonNode report = Json.mapper().readTree(bytes).path("data");
            bytes = (Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        if (out == null) {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(new String(bytes, StandardCharsets.UTF_8));
            stdout.flush();
            return 0;
        }
        Path target = out.toAbsolutePath();
        try {
            Path partial = Files.createTempFile(target.getParent(), ".frostbyte-report-", ".part");
            Files.write(partial, bytes);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("frostbyte: cannot write " + out + " (" + e.getClass().getSimpleName() + ")");
            err.flush();
            return 1;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("frostbyte report: wrote the " + format.name() + " report of batch " + batchId + " to " + out);
        err.flush();
        return 0;
    }

    /** One answer: status, body bytes and, for errors, the envelope's code and message. */
    private record Answer(int status, byte[] body, JsonNode error, Duration retryAfter) {
        String errorCode() {
            return error.path("code").asText("HTTP_" + status);
        }

        String errorLine() {
            return errorCode() + ": " + error.path("message").asText("");
        }
    }

    private Answer get(HttpClient http, String path) {
        HttpRequest request = HttpRequest.newBuilder(client.baseUrl().resolve(path))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + client.bearer())
                .header("Accept", format == Format.json ? "application/json" : "text/*, application/json")
                .GET()
                .build();
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
            JsonNode error = Json.mapper().createObjectNode();
            if (response.statusCode() != 200) {
                try {
                    error = Json.mapper().readTree(body).path("error");
                } catch (IOException e) {
                    // not our envelope: the status alone names the failure
                }
            }
            Duration retryAfter = response.headers()
                    .firstValue("Retry-After")
                    .map(ReportCommand::seconds)
                    .orElse(Duration.ZERO);
            return new Answer(response.statusCode(), body, error, retryAfter);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "cannot reach " + client.baseUrl() + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "interrupted");
        }
    }

    private static Duration seconds(String header) {
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "interrupted");
        }
    }
}
