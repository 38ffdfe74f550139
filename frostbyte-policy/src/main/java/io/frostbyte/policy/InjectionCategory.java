package io.frostbyte.policy;

import java.util.Locale;

/**
 * Injection categories of spec/03 §3.4 (seed set) plus the extensions marked below. Only these names are ever stored
 * (POL-15), never the matched text.
 */
public enum InjectionCategory {
    DIRECT_INSTRUCTION_OVERRIDE(Severity.HIGH),
    ROLE_ASSUMPTION(Severity.HIGH),
    DELIMITER_INJECTION(Severity.HIGH),
    JAILBREAK_ATTEMPT(Severity.HIGH),
    TAG_CHARACTERS(Severity.HIGH),
    SYSTEM_PROMPT_LEAKAGE(Severity.MEDIUM),
    MULTI_TURN_MANIPULATION(Severity.MEDIUM),
    OBFUSCATION_MARKER(Severity.MEDIUM),
    INVISIBLE_CHARS(Severity.MEDIUM),
    BIDI_CONTROL(Severity.MEDIUM),
    HOMOGLYPH(Severity.MEDIUM),
    /** Extension: "I want you to act as …", "pretend you are …", "now you are …". */
    PERSONA_INSTRUCTION(Severity.MEDIUM),
    /** Extension: "now focus on your new task", "new tasks follow". */
    TASK_HIJACK(Severity.MEDIUM),
    INSTRUCTION_LIKE_IMPERATIVE(Severity.LOW),
    SECOND_PERSON_COMMAND(Severity.LOW),
    GENERIC_OVERRIDE(Severity.LOW);

    /** Seed weights of spec/03. */
    public enum Severity {
        HIGH(0.75),
        MEDIUM(0.45),
        LOW(0.2);

        private final double weight;

        Severity(double weight) {
            this.weight = weight;
        }

        public double weight() {
            return weight;
        }
    }

    private final Severity severity;

    InjectionCategory(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }

    /** The stored name, e.g. {@code direct_instruction_override}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
