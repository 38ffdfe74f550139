package io.frostbyte.server.cli.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-stage progress of one batch, built from its status and kept current by its stage events, shown on stderr as
 * {@code parse 3/5 policy 2/5 embed 1/5 index 0/5}: how many of the files that entered the pipeline (accepted at intake
 * and not deduplicated) completed each stage. On a terminal the line is redrawn in place; otherwise a line is printed
 * per change. A replayed event never moves a stage back (only a dead-letter retry does that, and a later status read
 * shows it). Not thread-safe.
 */
public final class StageProgress {
    static final List<String> STAGES = List.of("parse", "policy", "embed", "index");
    private static final Set<String> PROBLEMS = Set.of("rejected", "quarantined", "failed");

    private final String batchId;
    private final PrintWriter err;
    private final boolean inPlace;
    private final Map<String, Map<String, String>> stages = new LinkedHashMap<>();
    private final Map<String, String> fileStatus = new LinkedHashMap<>();
    private final Map<String, Boolean> inPipeline = new LinkedHashMap<>();
    private String shown = "";

    /**
     * @param status the batch status (spec/01 §1.8)
     * @param err where the progress goes
     * @param inPlace redraw one line (a terminal) rather than print one line per change
     */
    public StageProgress(JsonNode status, PrintWriter err, boolean inPlace) {
        this.batchId = status.path("batch_id").asText();
        this.err = err;
        this.inPlace = inPlace;
        for (JsonNode file : status.path("files")) {
            String fileId = file.path("file_id").asText();
            Map<String, String> states = new LinkedHashMap<>();
            file.path("stages")
                    .properties()
                    .forEach(
                            entry -> states.put(entry.getKey(), entry.getValue().asText()));
            stages.put(fileId, states);
            String current = file.path("file_status").asText();
            fileStatus.put(fileId, current);
            inPipeline.put(
                    fileId, states.getOrDefault("intake", "").equals("completed") && !current.equals("deduplicated"));
        }
    }

    /** Applies a {@code stage} event's data; returns whether the shown line changed. */
    public boolean apply(JsonNode event) {
        String fileId = event.path("file_id").asText();
        Map<String, String> states = stages.get(fileId);
        if (states == null) {
            return false;
        }
        String stage = event.path("stage").asText();
        String state = event.path("state").asText();
        if (rank(state) >= rank(states.getOrDefault(stage, "queued"))) {
            states.put(stage, state);
        }
        if (event.hasNonNull("file_status")) {
            fileStatus.put(fileId, event.path("file_status").asText());
        }
        return show();
    }

    /** The current line. */
    public String line() {
        long total = inPipeline.values().stream().filter(Boolean::booleanValue).count();
        StringBuilder line = new StringBuilder(batchId).append(':');
        for (String stage : STAGES) {
            long done = stages.entrySet().stream()
                    .filter(entry -> inPipeline.get(entry.getKey()))
                    .filter(entry -> entry.getValue().getOrDefault(stage, "").equals("completed"))
                    .count();
            line.append(' ').append(stage).append(' ').append(done).append('/').append(total);
        }
        long problems = fileStatus.values().stream().filter(PROBLEMS::contains).count();
        if (problems > 0) {
            line.append(" (").append(problems).append(" not indexed)");
        }
        return line.toString();
    }

    /** Shows the line if it changed; returns whether it did. */
    public boolean show() {
        String line = line();
        if (line.equals(shown)) {
            return false;
        }
        shown = line;
        if (inPlace) {
            err.print("\r" + line + "\u001b[K");
        } else {
            err.println(line);
        }
        err.flush();
        return true;
    }

    /** Ends the in-place line. */
    public void finish() {
        if (inPlace && !shown.isEmpty()) {
            err.println();
            err.flush();
        }
    }

    private static int rank(String state) {
        return switch (state) {
            case "queued" -> 0;
            case "processing" -> 1;
            default -> 2;
        };
    }
}
