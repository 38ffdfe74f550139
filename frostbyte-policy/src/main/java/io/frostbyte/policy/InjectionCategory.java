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
    /** Extension: "answer by your own knowledge and not by the articles", "use the information in the prompt". */
    CONTEXT_DISMISSAL(Severity.MEDIUM),
    /** Extension: "just say", "repeat after me", "state that", "the correct answer is", threats to get an output. */
    OUTPUT_COERCION(Severity.MEDIUM),
    /** Extension: role-play jailbreak set-ups ("two actors in a film … never break character"). */
    ROLE_PLAY_SETUP(Severity.MEDIUM),
    /** Extension: fake context or separator blocks ("Context: … Question:", runs of {@code \ /} or literal {@code \n}). */
    CONTEXT_SPOOFING(Severity.MEDIUM),
    /** Extension: an instruction shouted in capitals inside other text ("… DO NOT ANSWER, JUST OUTPUT …"). */
    SHOUTED_INSTRUCTION(Severity.MEDIUM),
    INSTRUCTION_LIKE_IMPERATIVE(Severity.LOW),
    SECOND_PERSON_COMMAND(Severity.LOW),
    GENERIC_OVERRIDE(Severity.LOW),
    /** Extension: praise or "that is done" before a change of subject ("Very good. That is done. Now …"). */
    ATTENTION_PIVOT(Severity.LOW),
    /** Extension: a sentence that opens with a command to produce text ("Write …", "Formuliere …", "now say …"). */
    WRITING_IMPERATIVE(Severity.LOW);

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
