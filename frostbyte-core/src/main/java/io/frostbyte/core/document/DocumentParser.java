package io.frostbyte.core.document;

import io.frostbyte.core.TenantId;
import java.io.InputStream;

/**
 * Turns one raw file into a {@link CanonicalDocument} (spec/02). Implementations are thread-safe, deterministic (same
 * bytes, same version and limits give an identical document) and make no network calls.
 */
public interface DocumentParser {
    /**
     * Parses {@code content} within {@code limits}. Never throws for a bad document: every document problem is a
     * {@link ParseOutcome.Failed} with a categorized code. Reads at most {@code limits.maxBytes() + 1} bytes; the
     * caller owns and closes {@code content}.
     *
     * @param tenant the owner, which with the raw bytes' SHA-256 makes the doc id
     * @param declaredMimeType the type declared at intake, a hint only (content detection decides); may be null
     */
    ParseOutcome parse(TenantId tenant, InputStream content, String declaredMimeType, ParseLimits limits);

    /** The parser's name in {@code lineage.parser}. */
    String name();

    /** The parser's version in {@code lineage.parser_version}. */
    String version();
}
