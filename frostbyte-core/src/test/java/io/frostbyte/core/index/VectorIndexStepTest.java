package io.frostbyte.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vector index provisioning step over the in-memory fake (the Lucene module runs the same checks on disk). */
class VectorIndexStepTest {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final IndexNamespace ACME_INDEX = IndexNamespace.first(ACME);

    private final InMemoryVectorIndex index = new InMemoryVectorIndex();
    private final VectorIndexStep step = new VectorIndexStep(index, 384);

    @Test
    void provisioning_creates_the_first_generation_with_the_deployment_dimension_and_verifies_it_empty() {
        assertThat(step.name()).isEqualTo("vector_index");

        assertThat(step.provision(ACME)).containsExactly(java.util.Map.entry("vector_index", "acme-corp/g1"));
        step.verify(ACME);

        assertThat(index.exists(ACME_INDEX)).isTrue();
        assertThat(index.dimension(ACME_INDEX)).hasValue(384);
        assertThat(index.count(ACME_INDEX))
                .as("the probe point is deleted again")
                .isZero();
        assertThat(index.exists(IndexNamespace.first(GLOBEX))).isFalse();
    }

    @Test
    void provisioning_twice_is_idempotent() {
        step.provision(ACME);
        step.verify(ACME);

        step.provision(ACME);
        step.verify(ACME);

        assertThat(index.dimension(ACME_INDEX)).hasValue(384);
        assertThat(index.count(ACME_INDEX)).isZero();
    }

    @Test
    void an_existing_index_of_another_dimension_fails_provisioning_and_verification() {
        index.create(ACME_INDEX, 768);

        assertThatThrownBy(() -> step.provision(ACME))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH));
        assertThatThrownBy(() -> step.verify(ACME))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH));
        assertThat(index.dimension(ACME_INDEX)).hasValue(768);
    }

    @Test
    void verification_fails_when_the_index_is_missing() {
        assertThatThrownBy(() -> step.verify(ACME))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INDEX_FAILED));
    }

    @Test
    void deprovisioning_drops_the_index_and_is_idempotent() {
        step.provision(ACME);
        step.provision(GLOBEX);
        assertThatThrownBy(() -> step.verifyGone(ACME))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));

        step.deprovision(ACME);
        step.verifyGone(ACME);
        step.deprovision(ACME);
        step.verifyGone(ACME);

        assertThat(index.exists(ACME_INDEX)).isFalse();
        assertThat(index.exists(IndexNamespace.first(GLOBEX)))
                .as("another tenant's index")
                .isTrue();
    }

    @Test
    void deprovisioning_drops_every_generation_a_rebuild_added() {
        VectorIndexStep rebuilt = new VectorIndexStep(index, 384, tenantId -> List.of(3, 2));
        rebuilt.provision(ACME);
        index.create(new IndexNamespace(ACME, 2), 768);
        index.create(new IndexNamespace(ACME, 3), 384);
        assertThatThrownBy(() -> step.verifyGone(ACME)).isInstanceOf(FrostbyteException.class);

        rebuilt.deprovision(ACME);

        rebuilt.verifyGone(ACME);
        assertThat(index.exists(new IndexNamespace(ACME, 2))).isFalse();
        assertThat(index.exists(new IndexNamespace(ACME, 3))).isFalse();
    }

    @Test
    void rollback_drops_a_partly_provisioned_index() {
        step.provision(ACME);

        step.rollback(ACME);
        step.rollback(ACME);

        step.verifyGone(ACME);
    }

    @Test
    void refuses_a_dimension_out_of_range() {
        assertThatThrownBy(() -> new VectorIndexStep(index, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
