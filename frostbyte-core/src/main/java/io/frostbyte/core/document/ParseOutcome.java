package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import java.util.EnumSet;
import java.util.Set;

/** The result of parsing one document: a document's failure is a result, not an exception (STYLE 8). */
public sealed interface ParseOutcome {
    /** The codes a parse may fail with (spec/02 §2.5). */
    Set<ErrorCode> FAILURE_CODES = java.util.Collections.unmodifiableSet(EnumSet.of(
            ErrorCode.FILE_CORRUPTED,
            ErrorCode.FILE_ENCRYPTED,
            ErrorCode.UNSUPPORTED_FORMAT,
            ErrorCode.PARSE_TIMEOUT,
            ErrorCode.PARSER_ERROR,
            ErrorCode.NO_TEXT_EXTRACTED,
            ErrorCode.OCR_UNAVAILABLE,
            ErrorCode.OCR_FAILED));

    record Parsed(CanonicalDocument document) implements ParseOutcome {
        public Parsed {
            requireNonNull(document, "document is null");
        }
    }

    /**
     * @param message Frostbyte-authored and content-free: it may name the format, a limit or an exception class,
     *     never document text or a parser's exception message
     */
    record Failed(ErrorCode code, String message) implements ParseOutcome {
        public Failed {
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
            if (!FAILURE_CODES.contains(code)) {
                throw new IllegalArgumentException("not a parse failure code: " + code);
            }
        }
    }
}
