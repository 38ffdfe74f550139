package io.frostbyte.core.answer;

import java.util.regex.Pattern;

/** The citation syntax of answers: {@code [chk_}<24 hex>{@code ]} (spec/05 SRV-7). */
final class Citations {
    /** A well-formed citation; group 1 is the chunk id. */
    static final Pattern VALID = Pattern.compile("\\[(chk_[0-9a-f]{24})]");
    /** Anything that looks like a citation, well-formed or not. */
    static final Pattern ANY = Pattern.compile("\\[\\s*chk_[^\\]\\s]{0,64}\\s*]");
    /** A run of citations (and the whitespace between them) at the start of a text. */
    static final Pattern LEADING_GROUP = Pattern.compile("^\\s*(?:\\[\\s*chk_[^\\]\\s]{0,64}\\s*]\\s*)+");

    private Citations() {}
}
