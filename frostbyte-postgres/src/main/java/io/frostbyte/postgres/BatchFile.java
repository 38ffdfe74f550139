package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.intake.FileStatus;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.StageState;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One file of a batch with its progress through the stages (spec/01 §1.8).
 *
 * @param position the file's 0-based position in the manifest
 * @param error the stage, code and Frostbyte-authored message of the failure that ended the file, if any
 */
public record BatchFile(
        int position,
        String fileId,
        UUID receiptId,
        String originalFilename,
        Optional<String> docId,
        FileStatus status,
        Map<PipelineStage, StageState> stages,
        Optional<FileError> error,
        int retryCount,
        Optional<Instant> lastRetryAt) {
    public BatchFile {
        requireNonNull(fileId, "fileId is null");
        requireNonNull(receiptId, "receiptId is null");
        requireNonNull(originalFilename, "originalFilename is null");
        requireNonNull(docId, "docId is null");
        requireNonNull(status, "status is null");
        requireNonNull(error, "error is null");
        requireNonNull(lastRetryAt, "lastRetryAt is null");
        EnumMap<PipelineStage, StageState> copy = new EnumMap<>(PipelineStage.class);
        copy.putAll(stages);
        if (copy.size() != PipelineStage.values().length) {
            throw new IllegalArgumentException("every stage needs a state");
        }
        stages = Collections.unmodifiableMap(copy);
    }

    /** The stage the file is in, or {@code done} once its status is terminal. */
    public String currentStage() {
        if (status.terminal()) {
            return "done";
        }
        for (PipelineStage stage : PipelineStage.values()) {
            StageState state = stages.get(stage);
            if (state == StageState.QUEUED || state == StageState.PROCESSING) {
                return stage.wire();
            }
        }
        return "done";
    }

    /** A failure that ended a file: content-free. */
    public record FileError(PipelineStage stage, String code, String message) {
        public FileError {
            requireNonNull(stage, "stage is null");
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
        }
    }
}
