package io.frostbyte.core.intake;

import java.util.Collection;

/** A batch's status, derived from its files' statuses (spec/01 §1.8). */
public enum BatchStatus {
    RECEIVED,
    PROCESSING,
    COMPLETED,
    COMPLETED_WITH_ERRORS,
    FAILED;

    public boolean terminal() {
        return this == COMPLETED || this == COMPLETED_WITH_ERRORS || this == FAILED;
    }

    /**
     * The status of a batch whose files have these statuses.
     *
     * @param anyProgressed whether some accepted file has left {@code queued} at least once
     */
    public static BatchStatus derive(Collection<FileStatus> files, boolean anyProgressed) {
        boolean open = files.stream().anyMatch(status -> !status.terminal());
        if (open) {
            return anyProgressed ? PROCESSING : RECEIVED;
        }
        long completed = files.stream().filter(FileStatus::completed).count();
        if (completed == files.size()) {
            return COMPLETED;
        }
        return completed > 0 ? COMPLETED_WITH_ERRORS : FAILED;
    }
}
