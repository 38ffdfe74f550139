package io.frostbyte.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.embed.onnx.OnnxEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VectorHandoffTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final String SHA = "a".repeat(64);

    private static OnnxEmbeddingModel model;
    private static OnnxEmbeddingModel otherModel;
    private static Embedding embedding;

    @BeforeAll
    static void load() {
        model = OnnxEmbeddingModel.miniLmL6V2Quantized(1);
        otherModel = OnnxEmbeddingModel.miniLmL6V2Quantized(1);
        embedding = model.embedDocuments(List.of("Invoice 17 is due on the first of the month."))
                .getFirst();
    }

    @AfterAll
    static void close() {
        model.close();
        otherModel.close();
    }

    @Test
    void a_vector_is_taken_once_by_its_tenant_document_chunk_and_model() {
        VectorHandoff handoff = new VectorHandoff();
        handoff.offer(ACME, "doc-1", SHA, model, embedding);

        assertThat(handoff.take(ACME, "doc-1", SHA, model)).containsSame(embedding);
        assertThat(handoff.take(ACME, "doc-1", SHA, model)).isEmpty();
        assertThat(handoff.size()).isZero();
    }

    @Test
    void another_tenant_or_document_or_chunk_never_gets_the_vector() {
        VectorHandoff handoff = new VectorHandoff();
        handoff.offer(ACME, "doc-1", SHA, model, embedding);

        assertThat(handoff.take(GLOBEX, "doc-1", SHA, model)).isEmpty();
        assertThat(handoff.take(ACME, "doc-2", SHA, model)).isEmpty();
        assertThat(handoff.take(ACME, "doc-1", "b".repeat(64), model)).isEmpty();
        assertThat(handoff.take(ACME, "doc-1", SHA, model)).containsSame(embedding);
    }

    @Test
    void a_vector_made_by_another_model_instance_is_dropped_not_used() {
        VectorHandoff handoff = new VectorHandoff();
        handoff.offer(ACME, "doc-1", SHA, model, embedding);

        assertThat(handoff.take(ACME, "doc-1", SHA, otherModel)).isEmpty();
        assertThat(handoff.size()).isZero();
    }

    @Test
    void holds_at_most_its_capacity_and_lets_the_oldest_go_first() {
        VectorHandoff handoff = new VectorHandoff();
        for (int i = 0; i <= VectorHandoff.CAPACITY; i++) {
            handoff.offer(ACME, "doc-" + i, SHA, model, embedding);
        }

        assertThat(handoff.size()).isEqualTo(VectorHandoff.CAPACITY);
        assertThat(handoff.take(ACME, "doc-0", SHA, model)).isEmpty();
        assertThat(handoff.take(ACME, "doc-1", SHA, model)).containsSame(embedding);
        assertThat(handoff.take(ACME, "doc-" + VectorHandoff.CAPACITY, SHA, model))
                .containsSame(embedding);
    }
}
