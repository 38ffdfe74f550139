package io.frostbyte.core.index;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.tenant.ProvisioningStep;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Provisioning step {@value #NAME} (spec/07 §7.2 step 4, §7.4 step 4): the first generation of the tenant's vector
 * index, created with the deployment's embedding dimension. {@link #verify} checks the namespace exists with that
 * dimension, then writes, finds and deletes a probe point, leaving the index empty. {@link #rollback} and {@link
 * #deprovision} drop the namespace; {@link #verifyGone} checks it no longer exists.
 *
 * <p>Provisioning creates generation 1. Deprovisioning drops generation 1 and every generation a rebuild added (04
 * EMB-7), as listed by the {@code generations} function given to the constructor.
 *
 * <p>Thread-safe when the index is.
 */
public final class VectorIndexStep implements ProvisioningStep {
    public static final String NAME = "vector_index";

    static final String PROBE_CHUNK_ID = "chk_000000000000000000000000";
    static final DocId PROBE_DOC_ID = new DocId("doc_000000000000000000000000");
    private static final String PROBE_TEXT = "frostbyte index probe";

    private final VectorIndex index;
    private final int dimension;
    private final Function<TenantId, ? extends Collection<Integer>> generations;

    /** A step for a deployment without index rebuilds: only generation 1 ever exists. */
    public VectorIndexStep(VectorIndex index, int dimension) {
        this(index, dimension, tenantId -> List.of());
    }

    /**
     * @param dimension the deployment's embedding dimension (the embedding profile's {@code dimensions})
     * @param generations the tenant's recorded index generations (generation 1 is dropped whether listed or not),
     *     read when deprovisioning; must still answer while the tenant is {@code DEPROVISIONING}
     */
    public VectorIndexStep(
            VectorIndex index, int dimension, Function<TenantId, ? extends Collection<Integer>> generations) {
        this.index = requireNonNull(index, "index is null");
        this.generations = requireNonNull(generations, "generations is null");
        if (dimension < 1 || dimension > Vectors.MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension must be in [1, " + Vectors.MAX_DIMENSION + "]: " + dimension);
        }
        this.dimension = dimension;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Creates generation 1 with the deployment's dimension; an existing namespace with that dimension is success.
     *
     * @throws FrostbyteException {@code DIMENSION_MISMATCH} when it exists with another dimension
     */
    @Override
    public Map<String, String> provision(TenantId tenantId) {
        IndexNamespace namespace = IndexNamespace.first(tenantId);
        index.create(namespace, dimension);
        return Map.of(NAME, namespace.toString());
    }

    @Override
    public void verify(TenantId tenantId) {
        IndexNamespace namespace = IndexNamespace.first(tenantId);
        OptionalInt actual = index.dimension(namespace);
        if (actual.isEmpty()) {
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "index " + namespace + " does not exist");
        }
        if (actual.getAsInt() != dimension) {
            throw new FrostbyteException(
                    ErrorCode.DIMENSION_MISMATCH,
                    "index " + namespace + " has dimension " + actual.getAsInt() + ", not " + dimension);
        }
        float[] probe = new float[dimension];
        probe[0] = 1.0f;
        index.upsert(
                namespace,
                List.of(new IndexPoint(PROBE_CHUNK_ID, PROBE_DOC_ID, "other", 1, Instant.EPOCH, probe, PROBE_TEXT)));
        try {
            boolean found =
                    index
                            .search(
                                    namespace,
                                    SearchRequest.hybrid(probe, PROBE_TEXT, 1).withMode(SearchMode.VECTOR))
                            .stream()
                            .anyMatch(hit -> hit.chunkId().equals(PROBE_CHUNK_ID));
            if (!found) {
                throw new FrostbyteException(
                        ErrorCode.INDEX_FAILED, "index " + namespace + " did not return its probe point");
            }
        } finally {
            index.deleteDocument(namespace, PROBE_DOC_ID);
        }
        if (!index.fetch(namespace, List.of(PROBE_CHUNK_ID)).isEmpty()) {
            throw new FrostbyteException(
                    ErrorCode.INDEX_FAILED, "the probe point of index " + namespace + " survived its delete");
        }
    }

    @Override
    public void rollback(TenantId tenantId) {
        index.drop(IndexNamespace.first(tenantId));
    }

    @Override
    public void deprovision(TenantId tenantId) {
        for (IndexNamespace namespace : namespaces(tenantId)) {
            index.drop(namespace);
        }
    }

    @Override
    public void verifyGone(TenantId tenantId) {
        for (IndexNamespace namespace : namespaces(tenantId)) {
            if (index.exists(namespace)) {
                throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "index " + namespace + " still exists");
            }
        }
    }

    private SortedSet<IndexNamespace> namespaces(TenantId tenantId) {
        SortedSet<IndexNamespace> all = new TreeSet<>(Comparator.comparingInt(IndexNamespace::generation));
        all.add(IndexNamespace.first(tenantId));
        for (int generation : generations.apply(tenantId)) {
            all.add(new IndexNamespace(tenantId, generation));
        }
        return all;
    }
}
