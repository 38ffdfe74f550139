package io.frostbyte.core.document;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalDocumentBuilderTest {
    @Test
    void inline_text_loses_nul_and_other_control_characters_but_keeps_its_words_and_spaces() {
        assertThat(CanonicalDocumentBuilder.normalizeInline(
                        "H\u0000e\u0000l\u0000l\u0000o\u0008 \u001bworld\u007f\u0085!"))
                .isEqualTo("Hello world!");
        assertThat(CanonicalDocumentBuilder.normalizeInline("line one\r\n\tline\u000Btwo\fthree"))
                .isEqualTo("line one line two three");
    }

    @Test
    void code_keeps_its_lines_and_indentation_without_control_characters() {
        assertThat(CanonicalDocumentBuilder.normalizeCode("\nif (x)\u0000 {\r\n\treturn;\u0007\n}\n"))
                .isEqualTo("if (x) {\n    return;\n}");
    }
}
