package io.frostbyte.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.embed.onnx.OnnxEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoffTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final String SHA = "a".repeat(64);

    @Test
    void a_value_is_taken_once_by_its_tenant_document_and_content() {
        Handoff<String> handoff = new Handoff<>(100);
        handoff.offer(ACME, "doc-1", SHA, "parsed", 10);

        assertThat(handoff.take(ACME, "doc-1", SHA)).contains("parsed");
        assertThat(handoff.take(ACME, "doc-1", SHA)).isEmpty();
        assertThat(handoff.size()).isZero();
        assertThat(handoff.weight()).isZero();
    }

    @Test
    void another_tenant_or_document_or_content_never_gets_the_value() {
        Handoff<String> handoff = new Handoff<>(100);
        handoff.offer(ACME, "doc-1", SHA, "parsed", 10);

        assertThat(handoff.take(GLOBEX, "doc-1", SHA)).isEmpty();
        assertThat(handoff.take(ACME, "doc-2", SHA)).isEmpty();
        assertThat(handoff.take(ACME, "doc-1", "b".repeat(64))).isEmpty();
        assertThat(handoff.take(ACME, "doc-1", SHA)).contains("parsed");
    }

    @Test
    void holds_at_most_its_capacity_by_weight_and_lets_the_oldest_go_first() {
        Handoff<String> handoff = new Handoff<>(100);
        for (int i = 0; i < 5; i++) {
            handoff.offer(ACME, "doc-" + i, SHA, "parsed " + i, 25);
        }

        assertThat(handoff.size()).isEqualTo(4);
        assertThat(handoff.weight()).isEqualTo(100);
        assertThat(handoff.take(ACME, "doc-0", SHA)).isEmpty();
        assertThat(handoff.take(ACME, "doc-1", SHA)).contains("parsed 1");
        assertThat(handoff.take(ACME, "doc-4", SHA)).contains("parsed 4");
        assertThat(handoff.weight()).isEqualTo(50);
    }

    @Test
    void a_value_heavier_than_a_quarter_of_the_capacity_is_not_held_and_drops_a_stale_one_of_the_same_content() {
        Handoff<String> handoff = new Handoff<>(100);
        handoff.offer(ACME, "doc-1", SHA, "small", 10);
        handoff.offer(ACME, "doc-2", SHA, "small", 10);

        handoff.offer(ACME, "doc-3", SHA, "large", 26);
        // the same content offered again with a value too heavy drops the stale one
        handoff.offer(ACME, "doc-1", SHA, "large", 26);

        assertThat(handoff.take(ACME, "doc-3", SHA)).isEmpty();
        assertThat(handoff.take(ACME, "doc-1", SHA)).isEmpty();
        assertThat(handoff.take(ACME, "doc-2", SHA)).contains("small");
        assertThat(handoff.weight()).isZero();
    }

    @Test
    void a_held_vector_is_used_only_by_the_model_instance_that_made_it() {
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.miniLmL6V2Quantized(1);
                OnnxEmbeddingModel otherModel = OnnxEmbeddingModel.miniLmL6V2Quantized(1)) {
            Embedding embedding = model.embedDocuments(List.of("Invoice 17 is due on the first of the month."))
                    .getFirst();
            EmbedStage.HeldVector held = new EmbedStage.HeldVector(model, embedding);

            assertThat(held.madeBy(model)).containsSame(embedding);
            assertThat(held.madeBy(otherModel)).isEmpty();
        }
    }
}
