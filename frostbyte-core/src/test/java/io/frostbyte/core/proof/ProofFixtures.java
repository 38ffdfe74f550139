package io.frostbyte.core.proof;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.index.SearchMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Proof statements over real chunk texts, for the proof tests here and the CLI tests of the server. */
public final class ProofFixtures {
    public static final String QUERY_ID = "019cae0b-e060-7423-9aaf-a3b4fd341338";
    public static final String AUDIT_EVENT_ID = "019cae0b-e532-73e9-865a-03c2014b3dcb";
    public static final Instant TIME = Instant.parse("2026-03-02T10:20:11.402Z");

    private ProofFixtures() {}

    /** The chunk id a fixture chunk of {@code text} gets: {@code chk_} + 24 hex of its hash. */
    public static String chunkId(String text) {
        return "chk_" + sha256(text).substring(0, 24);
    }

    /** A hybrid-search statement for {@code query} whose chunks carry {@code texts} in rank order. */
    public static ProofStatement statement(String query, List<String> texts) {
        List<ProofChunk> chunks = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            int rank = i + 1;
            chunks.add(new ProofChunk(
                    rank,
                    chunkId(text),
                    "doc_" + sha256("doc" + i).substring(0, 24),
                    "xquad_passage_" + rank + ".txt",
                    sha256(text),
                    sha256("source" + i),
                    rank,
                    100 * i,
                    100 * i + text.codePointCount(0, text.length()),
                    ProofScore.rounded(2.0 / (60 + rank)),
                    Optional.of(ProofScore.rounded(0.9 - rank / 10.0))));
        }
        return new ProofStatement(
                ProofStatement.VERSION,
                QUERY_ID,
                TenantId.of("acme-corp"),
                TIME,
                sha256(query),
                "g1.c1187",
                "nomic-embed-text",
                "v1.5",
                768,
                SearchMode.HYBRID,
                Math.max(5, texts.size()),
                new ProofFilters(
                        List.of("contract"), Optional.of(LocalDate.parse("2026-01-01")), Optional.empty(), List.of()),
                true,
                chunks,
                AUDIT_EVENT_ID);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
