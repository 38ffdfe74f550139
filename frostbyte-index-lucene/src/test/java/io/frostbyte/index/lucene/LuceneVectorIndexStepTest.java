package io.frostbyte.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.VectorIndexStep;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vector index provisioning step over real Lucene: the generation directory appears and disappears on disk. */
class LuceneVectorIndexStepTest {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final IndexNamespace ACME_INDEX = IndexNamespace.first(ACME);

    @TempDir
    Path dataDir;

    private LuceneVectorIndex index;

    @AfterEach
    void close() {
        if (index != null) {
            index.close();
        }
    }

    @Test
    void provisions_an_empty_index_with_the_dimension_that_a_restarted_node_still_sees() {
        index = new LuceneVectorIndex(dataDir);
        VectorIndexStep step = new VectorIndexStep(index, 384);

        step.provision(ACME);
        step.verify(ACME);
        step.provision(ACME);
        step.verify(ACME);

        assertThat(dataDir.resolve("tenants/acme-corp/index/g1")).isDirectory();
        assertThat(index.count(ACME_INDEX)).isZero();
        index.close();
        index = new LuceneVectorIndex(dataDir);
        assertThat(index.dimension(ACME_INDEX)).hasValue(384);
        new VectorIndexStep(index, 384).verify(ACME);
    }

    @Test
    void deprovisioning_removes_the_generation_directory_and_is_idempotent() {
        index = new LuceneVectorIndex(dataDir);
        VectorIndexStep step = new VectorIndexStep(index, 384);
        step.provision(ACME);
        step.verify(ACME);

        step.deprovision(ACME);
        step.verifyGone(ACME);
        step.deprovision(ACME);
        step.verifyGone(ACME);

        assertThat(dataDir.resolve("tenants/acme-corp/index/g1")).doesNotExist();
        assertThat(index.exists(ACME_INDEX)).isFalse();
    }
}
