package io.frostbyte.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.chunk.Chunk;
import io.frostbyte.core.chunk.ChunkingParameters;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.Furniture;
import io.frostbyte.core.document.Table;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ChunkerTest {
    private static final String RAW = "a".repeat(64);
    private final Chunker chunker = new Chunker(ChunkingParameters.DEFAULTS);

    private static CanonicalDocument build(CanonicalDocumentBuilder builder) {
        return builder.build(TenantId.of("acme-corp"), "text/plain", RAW, "test", "1.0.0", "b".repeat(64), "1");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String sentences(String word, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : " ")
                    .append("The ")
                    .append(word)
                    .append(" clause number ")
                    .append(i)
                    .append(" applies.");
        }
        return out.toString();
    }

    @Test
    void computes_the_chunk_id_exactly_as_architecture_section_4_says() throws Exception {
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000)
                .heading(1, "Master Services Agreement", 1)
                .paragraph("This Agreement is made between Acme Corp and Vendor Ltd on 1 March 2026.", 1, 1));

        List<Chunk> chunks = chunker.chunk(document);

        assertThat(chunks).hasSize(1);
        Chunk chunk = chunks.getFirst();
        String text =
                "Master Services Agreement\n\nThis Agreement is made between Acme Corp and Vendor Ltd on 1 March 2026.";
        assertThat(chunk.text()).isEqualTo(text);
        assertThat(chunk.startChar()).isZero();
        assertThat(chunk.endChar()).isEqualTo(text.length());
        String expected = "chk_"
                + sha256(document.docId().value() + "|1|0|" + text.length() + "|" + sha256(text))
                        .substring(0, 24);
        assertThat(chunk.chunkId()).isEqualTo(expected);
        assertThat(chunk.textSha256()).isEqualTo(sha256(text));
        assertThat(chunk.sectionTitle()).isEqualTo("Master Services Agreement");
        assertThat(chunk.sectionPath()).containsExactly("Master Services Agreement");
        assertThat(chunk.headingLevel()).isEqualTo(1);
        assertThat(chunk.elementType()).isEqualTo("paragraph");
        assertThat(Chunker.VERSION).isEqualTo("fb-chunker/1.0.0");
    }

    @Test
    void a_heading_starts_a_new_chunk_and_carries_its_section_path() {
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000)
                .heading(1, "Terms", 1)
                .paragraph(sentences("payment", 20), 1, 1)
                .heading(2, "Termination", 2)
                .paragraph(sentences("termination", 20), 2, 2));

        List<Chunk> chunks = chunker.chunk(document);

        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).text()).startsWith("Terms\n\n");
        assertThat(chunks.get(1).text()).startsWith("Termination\n\n");
        assertThat(chunks.get(1).sectionPath()).containsExactly("Terms", "Termination");
        assertThat(chunks.get(1).headingLevel()).isEqualTo(2);
        assertThat(chunks.get(1).page()).isEqualTo(2);
        String canonical = document.canonicalText();
        for (Chunk chunk : chunks) {
            assertThat(canonical.substring(chunk.startChar(), chunk.endChar())).isEqualTo(chunk.text());
        }
    }

    @Test
    void starts_a_new_chunk_after_new_after_and_never_exceeds_max() {
        CanonicalDocumentBuilder builder = new CanonicalDocumentBuilder(1_000_000);
        for (int i = 0; i < 30; i++) {
            builder.paragraph(sentences("p" + i, 5), 1, 1);
        }
        CanonicalDocument document = build(builder);

        List<Chunk> chunks = chunker.chunk(document);

        assertThat(chunks).hasSizeGreaterThan(1);
        for (Chunk chunk : chunks) {
            assertThat(chunk.length()).isLessThanOrEqualTo(1500);
        }
        for (Chunk chunk : chunks.subList(0, chunks.size() - 1)) {
            assertThat(chunk.length()).isGreaterThanOrEqualTo(1200);
        }
        assertThat(chunks.getFirst().startChar()).isZero();
        assertThat(chunks.getLast().endChar())
                .isEqualTo(document.canonicalText()
                        .codePointCount(0, document.canonicalText().length()));
    }

    @Test
    void splits_a_long_paragraph_at_sentence_boundaries() {
        String paragraph = sentences("indemnity", 100);
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000).paragraph(paragraph, 1, 1));

        List<Chunk> chunks = chunker.chunk(document);

        assertThat(chunks).hasSizeGreaterThan(1);
        for (Chunk chunk : chunks) {
            assertThat(chunk.length()).isLessThanOrEqualTo(1500);
            assertThat(chunk.text()).startsWith("The indemnity clause").endsWith("applies.");
        }
    }

    @Test
    void merges_a_small_trailing_piece_into_its_neighbour_but_never_across_a_heading() {
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000)
                .heading(1, "Scope", 1)
                .paragraph("Short scope.", 1, 1)
                .paragraph("Another short line.", 1, 1)
                .heading(1, "Fees", 1)
                .paragraph("Fees are due monthly.", 1, 1));

        List<Chunk> chunks = chunker.chunk(document);

        assertThat(chunks)
                .extracting(Chunk::text)
                .containsExactly("Scope\n\nShort scope.\n\nAnother short line.", "Fees\n\nFees are due monthly.");
    }

    @Test
    void keeps_a_table_alone_and_splits_a_large_one_between_rows_repeating_the_header() {
        List<List<String>> cells = new ArrayList<>();
        cells.add(List.of("Item", "Quantity", "Price"));
        for (int row = 0; row < 100; row++) {
            cells.add(List.of("Widget number " + row + " with a long description", "" + row, "$" + row + ".00"));
        }
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000)
                .paragraph("Items delivered:", 1, 1)
                .table(new Table(1, cells, List.of()), 1, 2)
                .paragraph("Thank you.", 2, 2));

        List<Chunk> chunks = chunker.chunk(document);
        List<Chunk> tables =
                chunks.stream().filter(c -> c.elementType().equals("table")).toList();

        assertThat(chunks.getFirst().text()).isEqualTo("Items delivered:");
        assertThat(tables).hasSizeGreaterThan(2);
        assertThat(tables.getFirst().headerRepeated()).isFalse();
        assertThat(tables.getFirst().text()).startsWith("Item | Quantity | Price\nWidget number 0 ");
        for (Chunk piece : tables.subList(1, tables.size())) {
            assertThat(piece.headerRepeated()).isTrue();
            assertThat(piece.text()).startsWith("Item | Quantity | Price\nWidget number ");
            assertThat(piece.length()).isLessThanOrEqualTo(1500);
            // offsets cover the piece's own rows, which start at a row boundary of the canonical text
            String own = document.canonicalText().substring(piece.startChar(), piece.endChar());
            assertThat(piece.text()).isEqualTo("Item | Quantity | Price\n" + own);
            assertThat(own.split("\n")).allMatch(row -> row.split(" \\| ").length == 3);
        }
        assertThat(chunks.getLast().text()).isEqualTo("Thank you.");
    }

    @Test
    void marks_a_single_table_row_over_max_as_oversize() {
        List<List<String>> cells = List.of(List.of("Header"), List.of("x".repeat(2000)), List.of("short"));
        CanonicalDocument document =
                build(new CanonicalDocumentBuilder(1_000_000).table(new Table(1, cells, List.of()), 1, 1));

        List<Chunk> chunks = chunker.chunk(document);

        assertThat(chunks).extracting(Chunk::oversize).containsExactly(false, true, false);
        assertThat(chunks.get(1).text()).isEqualTo("Header\n" + "x".repeat(2000));
    }

    @Test
    void keeps_consecutive_list_items_together() {
        CanonicalDocumentBuilder builder =
                new CanonicalDocumentBuilder(1_000_000).paragraph(sentences("intro", 12), 1, 1);
        for (int i = 0; i < 8; i++) {
            builder.listItem(1, "Step " + i + ": check the valve and record the pressure reading.", 1);
        }
        CanonicalDocument document = build(builder);

        List<Chunk> chunks = chunker.chunk(document);
        List<Chunk> lists =
                chunks.stream().filter(c -> c.text().contains("Step 0")).toList();

        assertThat(lists).hasSize(1);
        assertThat(lists.getFirst().text()).contains("Step 0").contains("Step 7");
    }

    @Test
    void leaves_page_headers_and_footers_out_of_every_chunk() {
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000)
                .furniture(1, Furniture.Kind.PAGE_HEADER, "ACME CONFIDENTIAL")
                .paragraph("Body text on page one.", 1, 1)
                .furniture(1, Furniture.Kind.PAGE_FOOTER, "Page 1 of 2")
                .paragraph("Body text on page two.", 2, 2));

        List<Chunk> chunks = chunker.chunk(document);

        assertThat(chunks).extracting(Chunk::text).containsExactly("Body text on page one.\n\nBody text on page two.");
        assertThat(chunks.getFirst().page()).isEqualTo(1);
        assertThat(chunks.getFirst().pageEnd()).isEqualTo(2);
    }

    @Test
    void counts_offsets_in_code_points() {
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000)
                .heading(1, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀", 1)
                .paragraph("😀".repeat(300) + " done.", 1, 1)
                .heading(1, "Next", 1)
                .paragraph("After emoji.", 1, 1));

        List<Chunk> chunks = chunker.chunk(document);

        assertThat(chunks.get(1).startChar()).isEqualTo(9 + 2 + 306 + 2);
        assertThat(chunks.get(0).endChar()).isEqualTo(9 + 2 + 306);
    }

    @Test
    void moves_start_char_back_by_the_overlap_cut_to_a_word() {
        CanonicalDocumentBuilder builder = new CanonicalDocumentBuilder(1_000_000);
        for (int i = 0; i < 10; i++) {
            builder.paragraph(sentences("p" + i, 5), 1, 1);
        }
        Chunker overlapping = new Chunker(new ChunkingParameters(1500, 1200, 400, 100));

        List<Chunk> plain = chunker.chunk(build(builder));
        List<Chunk> overlapped = overlapping.chunk(build(builder));

        assertThat(overlapped).hasSize(plain.size());
        assertThat(overlapped.get(1).startChar()).isLessThan(plain.get(1).startChar());
        assertThat(plain.get(1).startChar() - overlapped.get(1).startChar()).isLessThanOrEqualTo(100);
        assertThat(overlapped.get(1).text()).endsWith(plain.get(1).text());
    }

    @Test
    void gives_the_same_chunks_and_ids_byte_for_byte_on_every_run() {
        CanonicalDocumentBuilder builder = new CanonicalDocumentBuilder(1_000_000).heading(1, "Policy", 1);
        for (int i = 0; i < 20; i++) {
            builder.paragraph(sentences("rule" + i, 7), 1 + i / 5, 1 + i / 5);
        }

        List<Chunk> first = chunker.chunk(build(builder));
        List<Chunk> second = new Chunker(ChunkingParameters.DEFAULTS).chunk(build(builder));

        assertThat(second).isEqualTo(first);
        assertThat(second).extracting(Chunk::chunkId).doesNotHaveDuplicates();
    }

    @Test
    void a_redacted_text_gets_a_new_chunk_id_with_the_same_offsets() {
        Chunk chunk = chunker.chunk(build(new CanonicalDocumentBuilder(1000).paragraph("Mail j@x.example now.", 1, 1)))
                .getFirst();

        Chunk redacted = chunk.withText("Mail [REDACTED:EMAIL] now.");

        assertThat(redacted.chunkId()).isNotEqualTo(chunk.chunkId());
        assertThat(redacted.startChar()).isEqualTo(chunk.startChar());
        assertThat(redacted.endChar()).isEqualTo(chunk.endChar());
    }

    @Test
    @Timeout(60)
    void chunks_ten_megabytes_in_one_block_into_bounded_pieces() {
        String text = sentences("bulk", 1).repeat(10 * 1024 * 1024 / 33);
        CanonicalDocument document = build(new CanonicalDocumentBuilder(20_000_000).paragraph(text, 1, 1));

        List<Chunk> chunks = chunker.chunk(document);

        assertThat(chunks.size()).isGreaterThan(10 * 1024 * 1024 / 1500);
        assertThat(chunks).allMatch(c -> c.length() <= 1500);
        assertThat(chunks.getLast().endChar()).isEqualTo(text.length());
    }

    @Test
    @Timeout(30)
    void cuts_a_100k_character_line_without_spaces_hard_at_max() {
        String line = "x".repeat(100_000);
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000).code(line, 1));

        List<Chunk> chunks = chunker.chunk(document);

        assertThat(chunks).hasSize(67);
        assertThat(chunks.getFirst().endChar()).isEqualTo(1500);
        assertThat(chunks.getLast().endChar()).isEqualTo(100_000);
    }
}
