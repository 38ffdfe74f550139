package io.frostbyte.index.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.index.IndexNamespace;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The adapter's pure mappings; they need no server. */
class QdrantPointsTest {
    @Test
    void names_the_collection_after_tenant_and_generation() {
        assertThat(QdrantPoints.collection(new IndexNamespace(TenantId.of("acme-corp"), 2)))
                .isEqualTo("tenant_acme-corp_g2");
    }

    @Test
    void derives_a_version_8_rfc_9562_uuid_from_the_chunk_id_hash() throws Exception {
        UUID id = QdrantPoints.pointId("chk_4e38bf391512f5a2661d8d20");

        assertThat(id.version()).isEqualTo(8);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id).isEqualTo(QdrantPoints.pointId("chk_4e38bf391512f5a2661d8d20"));
        assertThat(id).isNotEqualTo(QdrantPoints.pointId("chk_4e38bf391512f5a2661d8d21"));
        assertThat(id.toString()).isEqualTo(expected("chk_4e38bf391512f5a2661d8d20"));
    }

    /** The first 16 bytes of sha256 in UUID form, with the version nibble set to 8 and the variant bits to 10. */
    private static String expected(String chunkId) throws Exception {
        byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                .digest(chunkId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        char[] c = java.util.HexFormat.of().formatHex(h, 0, 16).toCharArray();
        c[12] = '8';
        c[16] = "89ab".charAt(Character.digit(c[16], 16) & 0x3);
        String s = new String(c);
        return s.substring(0, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16) + "-" + s.substring(16, 20)
                + "-" + s.substring(20);
    }

    @Test
    void counts_term_frequencies_under_stable_term_indices() {
        QdrantPoints.Sparse sparse = QdrantPoints.sparse("Invoice invoice PAYMENT");

        assertThat(sparse.indices())
                .containsExactlyInAnyOrder(QdrantPoints.termIndex("invoice"), QdrantPoints.termIndex("payment"))
                .isSorted();
        int invoice = sparse.indices().indexOf(QdrantPoints.termIndex("invoice"));
        assertThat(sparse.values().get(invoice)).isEqualTo(2f);
        assertThat(sparse.values().get(1 - invoice)).isEqualTo(1f);
    }
}
