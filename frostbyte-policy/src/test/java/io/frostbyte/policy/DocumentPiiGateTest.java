package io.frostbyte.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.chunk.Chunk;
import io.frostbyte.core.chunk.ChunkingParameters;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.Table;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PII gate over a whole document: detection on the canonical text, spans mapped to the chunks (spec/03 §3.3). */
class DocumentPiiGateTest {
    private static final String RAW = "a".repeat(64);
    private static final Set<PiiType> DEFAULT_TYPES = EnumSet.of(PiiType.SSN, PiiType.DOB, PiiType.EMAIL);

    private final PiiDetector detector = new PiiDetector();
    private final Chunker chunker = new Chunker(ChunkingParameters.DEFAULTS);

    private static CanonicalDocument build(CanonicalDocumentBuilder builder) {
        return builder.build(TenantId.of("acme-corp"), "text/plain", RAW, "test", "1.0.0", "b".repeat(64), "1");
    }

    /** One 2,000-character line without spaces: the chunker cuts it hard at 1,500, inside the SSN. */
    private CanonicalDocument ssnAcrossAHardCut() {
        String line = "x".repeat(1490) + "SSN:123-45-6789" + "y".repeat(495);
        return build(new CanonicalDocumentBuilder(1_000_000).code(line, 1));
    }

    @Test
    void an_ssn_cut_in_two_by_a_chunk_boundary_is_found_on_the_whole_text_and_redacted_in_both_parts() {
        CanonicalDocument document = ssnAcrossAHardCut();
        List<Chunk> chunks = chunker.chunk(document);

        DocumentPiiGate.Result result =
                DocumentPiiGate.apply(detector, document.canonicalText(), chunks, PiiPolicy.REDACT, DEFAULT_TYPES);

        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).text()).endsWith("SSN:123-45");
        assertThat(chunks.get(1).text()).startsWith("-6789");
        // scanning each chunk alone finds nothing: neither part is an SSN
        assertThat(detector.detect(chunks.get(0).text())).isEmpty();
        assertThat(detector.detect(chunks.get(1).text())).isEmpty();

        List<Chunk> redacted = result.finalChunks();
        assertThat(redacted.get(0).text()).isEqualTo("x".repeat(1490) + "SSN:[REDACTED:SSN]");
        assertThat(redacted.get(1).text()).isEqualTo("[REDACTED:SSN]" + "y".repeat(495));
        assertThat(result.chunks())
                .extracting(DocumentPiiGate.ChunkPii::scanResult)
                .containsExactly(PiiScanResult.REDACTED, PiiScanResult.REDACTED);
        assertThat(result.chunks())
                .extracting(DocumentPiiGate.ChunkPii::actionTaken)
                .containsExactly(PiiActionTaken.REDACTED, PiiActionTaken.REDACTED);
        assertThat(result.chunks().get(0).typesFound()).containsExactly(PiiType.SSN);
        assertThat(result.counts()).containsEntry(PiiType.SSN, 1).hasSize(1);

        // offsets stay those of the canonical text; ids derive from the final text
        for (int i = 0; i < 2; i++) {
            assertThat(redacted.get(i).startChar()).isEqualTo(chunks.get(i).startChar());
            assertThat(redacted.get(i).endChar()).isEqualTo(chunks.get(i).endChar());
            assertThat(redacted.get(i).chunkId()).isNotEqualTo(chunks.get(i).chunkId());
            assertThat(redacted.get(i).chunkId())
                    .isEqualTo(Chunk.chunkId(
                            document.docId(),
                            redacted.get(i).page(),
                            redacted.get(i).startChar(),
                            redacted.get(i).endChar(),
                            redacted.get(i).text()));
        }
        assertThat(result.redacted()).hasSize(1);
        DocumentPiiGate.RedactedSpan span = result.redacted().getFirst();
        assertThat(span.type()).isEqualTo(PiiType.SSN);
        assertThat(span.startChar()).isEqualTo(1494);
        assertThat(span.endChar()).isEqualTo(1505);
        assertThat(span.original()).isEqualTo("123-45-6789");
        assertThat(span.chunkIds())
                .containsExactly(redacted.get(0).chunkId(), redacted.get(1).chunkId());
        assertThat(span.toString()).doesNotContain("123-45-6789");
    }

    @Test
    void the_flag_policy_keeps_the_text_and_marks_every_chunk_the_span_reaches() {
        CanonicalDocument document = ssnAcrossAHardCut();
        List<Chunk> chunks = chunker.chunk(document);

        DocumentPiiGate.Result result =
                DocumentPiiGate.apply(detector, document.canonicalText(), chunks, PiiPolicy.FLAG, DEFAULT_TYPES);

        assertThat(result.finalChunks()).isEqualTo(chunks);
        assertThat(result.chunks())
                .extracting(DocumentPiiGate.ChunkPii::scanResult)
                .containsExactly(PiiScanResult.PII_FOUND, PiiScanResult.PII_FOUND);
        assertThat(result.chunks())
                .extracting(DocumentPiiGate.ChunkPii::actionTaken)
                .containsExactly(PiiActionTaken.FLAGGED, PiiActionTaken.FLAGGED);
        assertThat(result.redacted()).isEmpty();
        assertThat(result.blocked()).isFalse();
        assertThat(result.documentAction()).isEqualTo(PiiActionTaken.FLAGGED);
    }

    @Test
    void the_block_policy_blocks_the_document_when_an_enabled_type_is_found_anywhere() {
        CanonicalDocument document = ssnAcrossAHardCut();
        List<Chunk> chunks = chunker.chunk(document);

        DocumentPiiGate.Result blocked =
                DocumentPiiGate.apply(detector, document.canonicalText(), chunks, PiiPolicy.BLOCK, DEFAULT_TYPES);
        DocumentPiiGate.Result notEnabled = DocumentPiiGate.apply(
                detector, document.canonicalText(), chunks, PiiPolicy.BLOCK, EnumSet.of(PiiType.EMAIL));

        assertThat(blocked.blocked()).isTrue();
        assertThat(blocked.documentResult()).isEqualTo(PiiScanResult.BLOCKED);
        assertThat(blocked.chunks())
                .extracting(DocumentPiiGate.ChunkPii::actionTaken)
                .containsOnly(PiiActionTaken.BLOCKED);
        assertThat(notEnabled.blocked()).isFalse();
        assertThat(notEnabled.counts()).isEmpty();
        assertThat(notEnabled.chunks())
                .extracting(DocumentPiiGate.ChunkPii::scanResult)
                .containsOnly(PiiScanResult.CLEAN);
        assertThat(notEnabled.finalChunks()).isEqualTo(chunks);
    }

    @Test
    void a_disabled_type_never_hides_an_enabled_one_and_is_never_reported() {
        // "John Smith" (NAME) is not among the tenant's types; the e-mail is
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000)
                .paragraph("Dear John Smith, write to john.smith@vendor.example today.", 1, 1));
        List<Chunk> chunks = chunker.chunk(document);

        DocumentPiiGate.Result result = DocumentPiiGate.apply(
                detector, document.canonicalText(), chunks, PiiPolicy.REDACT, EnumSet.of(PiiType.EMAIL));

        assertThat(result.finalChunks().getFirst().text())
                .isEqualTo("Dear John Smith, write to [REDACTED:EMAIL] today.");
        assertThat(result.counts()).containsOnlyKeys(PiiType.EMAIL);
        assertThat(result.chunks().getFirst().typesFound()).containsExactly(PiiType.EMAIL);
    }

    @Test
    void a_pii_value_in_a_repeated_table_header_is_redacted_in_every_piece_that_repeats_it() {
        List<List<String>> cells = new ArrayList<>();
        cells.add(List.of("Item", "Owner dana.levi@example.com"));
        for (int row = 0; row < 100; row++) {
            cells.add(List.of("Widget number " + row + " with a long description", "" + row));
        }
        CanonicalDocument document =
                build(new CanonicalDocumentBuilder(1_000_000).table(new Table(1, cells, List.of()), 1, 1));
        List<Chunk> chunks = chunker.chunk(document);

        DocumentPiiGate.Result result =
                DocumentPiiGate.apply(detector, document.canonicalText(), chunks, PiiPolicy.REDACT, DEFAULT_TYPES);

        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks.get(1).headerRepeated()).isTrue();
        for (Chunk chunk : result.finalChunks()) {
            assertThat(chunk.text()).startsWith("Item | Owner [REDACTED:EMAIL]\n");
            assertThat(chunk.text()).doesNotContain("dana.levi");
        }
        assertThat(result.redacted()).hasSize(1);
        assertThat(result.redacted().getFirst().chunkIds())
                .containsExactlyElementsOf(
                        result.finalChunks().stream().map(Chunk::chunkId).toList());
        assertThat(result.chunks())
                .extracting(DocumentPiiGate.ChunkPii::scanResult)
                .containsOnly(PiiScanResult.REDACTED);
    }

    @Test
    void offsets_of_redacted_spans_are_code_points_of_the_canonical_text() {
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000)
                .heading(1, "Contacts \uD83D\uDE00\uD83D\uDE00", 1)
                .paragraph("\u05E9\u05DC\u05D5\u05DD \uD83D\uDE00 mail j.smith@vendor.example now", 1, 1));
        List<Chunk> chunks = chunker.chunk(document);

        DocumentPiiGate.Result result =
                DocumentPiiGate.apply(detector, document.canonicalText(), chunks, PiiPolicy.REDACT, DEFAULT_TYPES);

        // "Contacts 😀😀" is 11 code points, then "\n\n", then "שלום 😀 mail " (12 code points)
        DocumentPiiGate.RedactedSpan span = result.redacted().getFirst();
        assertThat(span.startChar()).isEqualTo(11 + 2 + 12);
        assertThat(span.endChar()).isEqualTo(11 + 2 + 12 + 22);
        assertThat(span.original()).isEqualTo("j.smith@vendor.example");
        assertThat(result.finalChunks().getFirst().text())
                .isEqualTo("Contacts \uD83D\uDE00\uD83D\uDE00\n\n\u05E9\u05DC\u05D5\u05DD \uD83D\uDE00 mail"
                        + " [REDACTED:EMAIL] now");
    }

    @Test
    void the_same_document_gives_the_same_result_byte_for_byte() {
        CanonicalDocument document = ssnAcrossAHardCut();

        DocumentPiiGate.Result first = DocumentPiiGate.apply(
                detector, document.canonicalText(), chunker.chunk(document), PiiPolicy.REDACT, DEFAULT_TYPES);
        DocumentPiiGate.Result second = DocumentPiiGate.apply(
                new PiiDetector(),
                document.canonicalText(),
                new Chunker(ChunkingParameters.DEFAULTS).chunk(document),
                PiiPolicy.REDACT,
                DEFAULT_TYPES);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void overlapping_chunks_both_redact_a_value_inside_their_shared_text() {
        StringBuilder paragraph = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            paragraph.append("Part ").append(i).append(" goes to j.smith@vendor.example by Friday. ");
        }
        CanonicalDocument document = build(new CanonicalDocumentBuilder(1_000_000)
                .paragraph(paragraph.toString().strip(), 1, 1));
        List<Chunk> chunks = new Chunker(new ChunkingParameters(500, 450, 0, 125)).chunk(document);

        DocumentPiiGate.Result result =
                DocumentPiiGate.apply(detector, document.canonicalText(), chunks, PiiPolicy.REDACT, DEFAULT_TYPES);

        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks.get(1).startChar()).isLessThan(chunks.get(0).endChar());
        assertThat(result.finalChunks()).noneMatch(chunk -> chunk.text().contains("j.smith"));
        assertThat(result.redacted()).hasSize(30);
        // a value in the overlap is replaced in both chunks that carry it
        assertThat(result.redacted()).anyMatch(span -> span.chunkIds().size() == 2);
        assertThat(result.redacted()).allMatch(span -> !span.chunkIds().isEmpty());
    }
}
