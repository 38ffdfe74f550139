package io.frostbyte.core.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.TenantId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalDocumentTest {
    private static final TenantId TENANT = TenantId.of("acme-corp");
    private static final String RAW = "470c315a04a9db7d9f322567a9782164433432df8f30a07298ed7ebb7dfea0cb";
    private static final String CONFIG = "e77659c4a4db986a0ebdc8b57811daa31dea5223845e8e2a567fcd4a34e9ddee";

    private static CanonicalDocument sample() {
        return new CanonicalDocumentBuilder(1_000)
                .heading(1, "Master   Services\nAgreement", 1)
                .paragraph("Emoji 😀 count as one code point;\t tabs collapse.", 1, 1)
                .listItem(2, " nested item ", 1)
                .table(
                        new Table(
                                1,
                                List.of(List.of("Item", "Qty"), List.of("Support 😀", ""), List.of("x", "y")),
                                List.of(new MergedCell(1, 0, 1, 2))),
                        2,
                        2)
                .code("  int x = 1;   \n    return x;\n\n", 2)
                .paragraph("   ", 2, 2)
                .furniture(2, Furniture.Kind.PAGE_FOOTER, "Page 2 of 2")
                .build(TENANT, "application/pdf", RAW, "frostbyte-parser-tika", "0.1.0", CONFIG, "3.3.1");
    }

    @Test
    void every_block_text_equals_its_code_point_slice_of_the_canonical_text() {
        CanonicalDocument document = sample();
        int[] codePoints = document.canonicalText().codePoints().toArray();

        for (Block block : document.blocks()) {
            String slice = new String(codePoints, block.startChar(), block.endChar() - block.startChar());
            assertThat(slice).isEqualTo(block.text());
        }
        assertThat(document.blocks())
                .extracting(Block::text)
                .containsExactly(
                        "Master Services Agreement",
                        "Emoji 😀 count as one code point; tabs collapse.",
                        "nested item",
                        "Item | Qty\nSupport 😀 | \nx | y",
                        "  int x = 1;\n    return x;");
        assertThat(document.blocks()).extracting(Block::startChar).containsExactly(0, 27, 76, 89, 120);
        assertThat(document.stats().totalCharacters()).isEqualTo(codePoints.length);
    }

    @Test
    void furniture_is_kept_out_of_the_canonical_text() {
        CanonicalDocument document = sample();

        assertThat(document.furniture()).containsExactly(new Furniture(2, Furniture.Kind.PAGE_FOOTER, "Page 2 of 2"));
        assertThat(document.canonicalText()).doesNotContain("Page 2 of 2");
    }

    @Test
    void pages_span_the_blocks_that_start_on_them() {
        CanonicalDocument document = sample();

        assertThat(document.pages()).containsExactly(new Page(1, 0, 87), new Page(2, 89, 146));
    }

    @Test
    void sections_nest_by_heading_level_and_end_at_the_last_block() {
        CanonicalDocument document = new CanonicalDocumentBuilder(1_000)
                .heading(1, "A", 1)
                .paragraph("a", 1, 1)
                .heading(2, "B", 1)
                .paragraph("b", 1, 1)
                .heading(1, "C", 1)
                .build(TENANT, "text/html", RAW, "p", "1", CONFIG, "3.3.1");

        assertThat(document.sections())
                .containsExactly(
                        new Section("s001", "A", 1, null, 1, 0, 10),
                        new Section("s002", "B", 2, "s001", 1, 6, 10),
                        new Section("s003", "C", 1, null, 1, 12, 13));
        assertThat(document.sectionOfBlock()).containsEntry("b0002", "s001").containsEntry("b0004", "s002");
    }

    @Test
    void blocks_beyond_the_character_limit_are_dropped_as_limit_exceeded() {
        CanonicalDocument document = new CanonicalDocumentBuilder(10)
                .paragraph("12345", 1, 1)
                .paragraph("67890", 1, 1)
                .paragraph("abc", 1, 1)
                .build(TENANT, "text/plain", RAW, "p", "1", CONFIG, "3.3.1");

        assertThat(document.canonicalText()).isEqualTo("12345\n\nabc");
        assertThat(document.stats().droppedContent())
                .containsExactly(new DroppedContent("text", 1, "limit_exceeded", 1));
    }

    @Test
    void a_block_whose_offsets_do_not_fit_its_text_is_rejected() {
        assertThatThrownBy(() -> new Block("b0001", BlockType.PARAGRAPH, 0, "abc", 1, 1, 0, 4, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b0001");
    }

    @Test
    void a_table_with_ragged_rows_is_rejected() {
        assertThatThrownBy(() -> new Table(0, List.of(List.of("a", "b"), List.of("c")), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 has 1 cells, expected 2");
    }

    @Test
    void doc_id_is_the_truncated_sha256_of_tenant_newline_raw_sha256() {
        // printf 'acme-corp\n470c...a0cb' | sha256sum
        assertThat(DocId.of(TENANT, RAW).value()).isEqualTo("doc_9393739daa18f12edbeb99a3");
        assertThat(DocId.of(TenantId.of("other-co"), RAW)).isNotEqualTo(DocId.of(TENANT, RAW));
    }

    @Test
    void json_is_canonical_with_sorted_keys_and_escaped_controls() {
        assertThat(CanonicalJson.write(
                        java.util.Map.of("b", List.of(1, "x\n\u0001"), "a", true, "é", java.util.Map.of())))
                .isEqualTo("{\"a\":true,\"b\":[1,\"x\\n\\u0001\"],\"é\":{}}");
    }

    @Test
    void document_json_is_identical_for_equal_documents_and_carries_spec_fields() {
        String json = CanonicalDocumentJson.write(sample());

        assertThat(json).isEqualTo(CanonicalDocumentJson.write(sample()));
        assertThat(json)
                .startsWith("{\"blocks\":[{\"block_id\":\"b0001\",\"end_char\":25,\"level\":1,\"page\":1,")
                .contains("\"doc_id\":\"doc_9393739daa18f12edbeb99a3\"")
                .contains("\"row_offsets\":[[89,99],[100,112],[113,118]]")
                .contains("\"merged\":[{\"column\":0,\"columns\":2,\"row\":1,\"rows\":1}]")
                .contains("\"furniture\":[{\"kind\":\"page_footer\",\"page\":2,\"text\":\"Page 2 of 2\"}]");
    }

    @Test
    void parse_limits_defaults_follow_spec_09() {
        assertThat(ParseLimits.defaults().settings())
                .containsEntry("parse.max_pages", 2000L)
                .containsEntry("parse.max_characters", 20_000_000L)
                .containsEntry("parse.max_table_cells", 1_000_000L)
                .containsEntry("parse.max_embedded_documents", 100L)
                .containsEntry("parse.max_nesting_depth", 32L)
                .containsEntry("parse.max_expansion_ratio", 100L)
                .containsEntry("parse.timeout_seconds", 300L)
                .containsEntry("parse.max_bytes", 1024L * 1024 * 1024);
        assertThatThrownBy(() -> ParseLimits.defaults().withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_failed_outcome_accepts_only_parse_failure_codes() {
        assertThat(new ParseOutcome.Failed(ErrorCode.FILE_ENCRYPTED, "encrypted").code())
                .isEqualTo(ErrorCode.FILE_ENCRYPTED);
        assertThatThrownBy(() -> new ParseOutcome.Failed(ErrorCode.QUOTA_EXCEEDED, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
