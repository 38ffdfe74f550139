package io.frostbyte.index.qdrant;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorFactory.vector;
import static io.qdrant.client.VectorsFactory.namedVectors;
import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.ReciprocalRankFusion;
import io.frostbyte.core.index.SearchFilter;
import io.frostbyte.core.index.SearchHit;
import io.frostbyte.core.index.SearchMode;
import io.frostbyte.core.index.SearchRequest;
import io.frostbyte.core.index.StoredPoint;
import io.frostbyte.core.index.VectorIndex;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.WithVectorsSelectorFactory;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.VectorOutput;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link VectorIndex} on Qdrant through its official gRPC client: one collection {@code tenant_<id>_g<generation>}
 * per namespace with a dense vector {@code dense} (the namespace's dimension, cosine, HNSW m 16 / ef_construct 100)
 * and a sparse vector {@code bm25} (Frostbyte-computed {@code fb-standard-1} term frequencies with the collection's IDF
 * modifier), keyword payload indexes on {@code doc_id}, {@code chunk_id} and {@code classification} and an integer
 * index on {@code ingested_day} (spec/04 §4.3). Point ids are derived from chunk ids ({@link QdrantPoints#pointId}).
 * Both legs run as filtered queries and are fused by {@link ReciprocalRankFusion} here, like every adapter. Writes
 * wait for the server to apply them. The chunk text is sent only as the sparse vector, never as payload.
 *
 * <p>Not covered here yet: the alias {@code tenant_<id>} that spec/04 reaches the current generation through.
 * Thread-safe (the client is).
 */
public final class QdrantVectorIndex implements VectorIndex {
    static final String DENSE = "dense";
    static final String SPARSE = "bm25";

    private final QdrantClient client;
    private final Duration timeout;

    /** The gRPC port Qdrant listens on unless its URL names another. */
    public static final int DEFAULT_GRPC_PORT = 6334;

    /**
     * A client of the Qdrant gRPC endpoint at {@code url}: {@code http://host[:port]}, or {@code https://} for TLS; the
     * port defaults to {@value #DEFAULT_GRPC_PORT}. It sends {@code apiKey} with every call when there is one. Building
     * it asks the server for its version and only logs a warning when there is no answer, so an unreachable server
     * fails the first index call, not this one. The caller closes the client.
     *
     * @throws IllegalArgumentException when {@code url} is not an http or https URL with a host
     */
    public static QdrantClient client(URI url, Optional<String> apiKey) {
        requireNonNull(url, "url is null");
        requireNonNull(apiKey, "apiKey is null");
        if (!isGrpcUrl(url)) {
            throw new IllegalArgumentException("a Qdrant URL is http://host[:port] or https://host[:port]");
        }
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(
                url.getHost(),
                url.getPort() < 0 ? DEFAULT_GRPC_PORT : url.getPort(),
                url.getScheme().equalsIgnoreCase("https"));
        apiKey.ifPresent(grpc::withApiKey);
        return new QdrantClient(grpc.build());
    }

    /** Whether {@link #client} accepts {@code url}: an http or https URL (any case) with a host. */
    public static boolean isGrpcUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null;
    }

    /** Uses {@code client} (the caller closes it) with {@code timeout} per call. */
    public QdrantVectorIndex(QdrantClient client, Duration timeout) {
        this.client = requireNonNull(client, "client is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    @Override
    public void create(IndexNamespace namespace, int dimension) {
        if (dimension < 1 || dimension > Vectors.MAX_DIMENSION) {
            throw new FrostbyteException(ErrorCode.DIMENSION_MISMATCH, "dimension out of range: " + dimension);
        }
        OptionalInt existing = dimension(namespace);
        if (existing.isPresent()) {
            if (existing.getAsInt() != dimension) {
                throw new FrostbyteException(
                        ErrorCode.DIMENSION_MISMATCH,
                        namespace + " has dimension " + existing.getAsInt() + ", not " + dimension);
            }
            return;
        }
        String collection = QdrantPoints.collection(namespace);
        VectorParams dense = VectorParams.newBuilder()
                .setSize(dimension)
                .setDistance(Distance.Cosine)
                .setHnswConfig(HnswConfigDiff.newBuilder().setM(16).setEfConstruct(100))
                .build();
        CreateCollection create = CreateCollection.newBuilder()
                .setCollectionName(collection)
                .setVectorsConfig(VectorsConfig.newBuilder()
                        .setParamsMap(VectorParamsMap.newBuilder().putMap(DENSE, dense)))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder()
                        .putMap(
                                SPARSE,
                                SparseVectorParams.newBuilder()
                                        .setModifier(Modifier.Idf)
                                        .build()))
                .build();
        await(namespace, client.createCollectionAsync(create, timeout));
        index(namespace, "doc_id", PayloadSchemaType.Keyword);
        index(namespace, "chunk_id", PayloadSchemaType.Keyword);
        index(namespace, "classification", PayloadSchemaType.Keyword);
        index(namespace, "ingested_day", PayloadSchemaType.Integer);
    }

    private void index(IndexNamespace namespace, String field, PayloadSchemaType type) {
        await(
                namespace,
                client.createPayloadIndexAsync(
                        QdrantPoints.collection(namespace), field, type, null, true, null, timeout));
    }

    @Override
    public boolean exists(IndexNamespace namespace) {
        return await(namespace, client.collectionExistsAsync(QdrantPoints.collection(namespace), timeout));
    }

    @Override
    public OptionalInt dimension(IndexNamespace namespace) {
        if (!exists(namespace)) {
            return OptionalInt.empty();
        }
        CollectionInfo info =
                await(namespace, client.getCollectionInfoAsync(QdrantPoints.collection(namespace), timeout));
        VectorParams dense = info.getConfig()
                .getParams()
                .getVectorsConfig()
                .getParamsMap()
                .getMapMap()
                .get(DENSE);
        if (dense == null) {
            throw new FrostbyteException(
                    ErrorCode.INDEX_FAILED, "collection of " + namespace + " has no '" + DENSE + "' vector");
        }
        return OptionalInt.of(Math.toIntExact(dense.getSize()));
    }

    private int requireDimension(IndexNamespace namespace) {
        return dimension(namespace).orElseThrow(() -> notFound(namespace));
    }

    private static FrostbyteException notFound(IndexNamespace namespace) {
        return new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "no vector index " + namespace);
    }

    @Override
    public void upsert(IndexNamespace namespace, List<IndexPoint> points) {
        requireNonNull(points, "points is null");
        if (points.isEmpty() || points.size() > MAX_BATCH) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR, "upsert takes 1 to " + MAX_BATCH + " points, got " + points.size());
        }
        int dimension = requireDimension(namespace);
        points.forEach(p -> Vectors.requireUsable(p.vector(), dimension));
        List<PointStruct> structs = new ArrayList<>(points.size());
        for (IndexPoint point : points) {
            QdrantPoints.Sparse sparse = QdrantPoints.sparse(point.text());
            Map<String, io.qdrant.client.grpc.Points.Vector> vectors = new HashMap<>();
            vectors.put(DENSE, vector(point.vector()));
            if (!sparse.indices().isEmpty()) {
                vectors.put(SPARSE, vector(sparse.values(), sparse.indices()));
            }
            structs.add(PointStruct.newBuilder()
                    .setId(id(QdrantPoints.pointId(point.chunkId())))
                    .setVectors(namedVectors(vectors))
                    .putAllPayload(payload(namespace, point))
                    .build());
        }
        // one request: Qdrant applies a batch as one operation
        await(namespace, client.upsertAsync(QdrantPoints.collection(namespace), structs, timeout));
    }

    private static Map<String, Value> payload(IndexNamespace namespace, IndexPoint point) {
        Map<String, Value> payload = new LinkedHashMap<>();
        payload.put("chunk_id", value(point.chunkId()));
        payload.put("doc_id", value(point.docId().value()));
        payload.put("tenant_id", value(namespace.tenantId().value()));
        payload.put("classification", value(point.classification()));
        payload.put("page", value(point.page()));
        payload.put("ingested_day", value(point.ingestedDay()));
        payload.put("ingested_at_ms", value(point.ingestedAt().toEpochMilli()));
        return payload;
    }

    @Override
    public void deleteDocument(IndexNamespace namespace, DocId docId) {
        requireNonNull(docId, "docId is null");
        requireDimension(namespace);
        Filter filter = Filter.newBuilder()
                .addMust(matchKeyword("doc_id", docId.value()))
                .build();
        await(namespace, client.deleteAsync(QdrantPoints.collection(namespace), filter, timeout));
    }

    @Override
    public List<StoredPoint> fetch(IndexNamespace namespace, List<String> chunkIds) {
        requireNonNull(chunkIds, "chunkIds is null");
        if (chunkIds.size() > MAX_BATCH) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "fetch takes at most " + MAX_BATCH + " ids");
        }
        requireDimension(namespace);
        if (chunkIds.isEmpty()) {
            return List.of();
        }
        List<io.qdrant.client.grpc.Common.PointId> ids = chunkIds.stream()
                .map(QdrantPoints::pointId)
                .map(io.qdrant.client.PointIdFactory::id)
                .toList();
        List<RetrievedPoint> retrieved = await(
                namespace,
                client.retrieveAsync(
                        QdrantPoints.collection(namespace),
                        ids,
                        WithPayloadSelectorFactory.enable(true),
                        WithVectorsSelectorFactory.include(List.of(DENSE)),
                        null,
                        timeout));
        Map<String, StoredPoint> byChunk = new HashMap<>();
        for (RetrievedPoint point : retrieved) {
            Map<String, Value> payload = point.getPayloadMap();
            VectorOutput dense = point.getVectors().getVectors().getVectorsMap().get(DENSE);
            List<Float> data = dense.hasDense() ? dense.getDense().getDataList() : dataOf(dense);
            float[] vector = new float[data.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = data.get(i);
            }
            StoredPoint stored = new StoredPoint(
                    payload.get("chunk_id").getStringValue(),
                    new DocId(payload.get("doc_id").getStringValue()),
                    payload.get("classification").getStringValue(),
                    Math.toIntExact(payload.get("page").getIntegerValue()),
                    Instant.ofEpochMilli(payload.get("ingested_at_ms").getIntegerValue()),
                    vector);
            byChunk.put(stored.chunkId(), stored);
        }
        return chunkIds.stream().filter(byChunk::containsKey).map(byChunk::get).toList();
    }

    @SuppressWarnings("deprecation")
    private static List<Float> dataOf(VectorOutput output) {
        return output.getDataList();
    }

    @Override
    public List<SearchHit> search(IndexNamespace namespace, SearchRequest request) {
        requireNonNull(request, "request is null");
        int dimension = requireDimension(namespace);
        float[] queryVector = request.queryVector();
        Vectors.requireUsable(queryVector, dimension);
        Filter filter = filter(request.filter());
        int perLeg = request.candidatesPerLeg();
        String collection = QdrantPoints.collection(namespace);
        List<ReciprocalRankFusion.Candidate> vectorLeg = List.of();
        List<ReciprocalRankFusion.Candidate> keywordLeg = List.of();
        if (request.mode() != SearchMode.KEYWORD) {
            QueryPoints query = QueryPoints.newBuilder()
                    .setCollectionName(collection)
                    .setQuery(nearest(queryVector))
                    .setUsing(DENSE)
                    .setFilter(filter)
                    .setLimit(perLeg)
                    .setWithPayload(WithPayloadSelectorFactory.enable(true))
                    .build();
            vectorLeg = candidates(await(namespace, client.queryAsync(query, timeout)));
        }
        QdrantPoints.Sparse sparse = QdrantPoints.sparse(request.queryText());
        if (request.mode() != SearchMode.VECTOR && !sparse.indices().isEmpty()) {
            List<Float> ones = sparse.values().stream().map(v -> 1f).toList();
            QueryPoints query = QueryPoints.newBuilder()
                    .setCollectionName(collection)
                    .setQuery(nearest(ones, sparse.indices()))
                    .setUsing(SPARSE)
                    .setFilter(filter)
                    .setLimit(perLeg)
                    .setWithPayload(WithPayloadSelectorFactory.enable(true))
                    .build();
            keywordLeg = candidates(await(namespace, client.queryAsync(query, timeout)));
        }
        return ReciprocalRankFusion.fuse(vectorLeg, keywordLeg, request.limit());
    }

    private static List<ReciprocalRankFusion.Candidate> candidates(List<ScoredPoint> points) {
        List<ReciprocalRankFusion.Candidate> out = new ArrayList<>(points.size());
        for (ScoredPoint point : points) {
            Map<String, Value> payload = point.getPayloadMap();
            out.add(new ReciprocalRankFusion.Candidate(
                    payload.get("chunk_id").getStringValue(),
                    new DocId(payload.get("doc_id").getStringValue()),
                    payload.get("classification").getStringValue(),
                    Math.toIntExact(payload.get("page").getIntegerValue())));
        }
        return out;
    }

    private static Filter filter(SearchFilter filter) {
        Filter.Builder builder = Filter.newBuilder();
        if (!filter.classifications().isEmpty()) {
            builder.addMust(matchKeywords("classification", List.copyOf(filter.classifications())));
        }
        if (filter.ingestedFrom().isPresent() || filter.ingestedTo().isPresent()) {
            Range.Builder range = Range.newBuilder();
            filter.ingestedFrom().ifPresent(d -> range.setGte(d.toEpochDay()));
            filter.ingestedTo().ifPresent(d -> range.setLte(d.toEpochDay()));
            builder.addMust(range("ingested_day", range.build()));
        }
        if (!filter.docIds().isEmpty()) {
            builder.addMust(matchKeywords(
                    "doc_id", filter.docIds().stream().map(DocId::value).toList()));
        }
        return builder.build();
    }

    @Override
    public long count(IndexNamespace namespace) {
        requireDimension(namespace);
        return await(namespace, client.countAsync(QdrantPoints.collection(namespace), null, true, timeout));
    }

    @Override
    public void drop(IndexNamespace namespace) {
        if (!exists(namespace)) {
            return;
        }
        await(namespace, client.deleteCollectionAsync(QdrantPoints.collection(namespace), timeout));
        if (exists(namespace)) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "collection of " + namespace + " still exists");
        }
    }

    private <T> T await(IndexNamespace namespace, Future<T> future) {
        try {
            return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "interrupted while calling Qdrant for " + namespace);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "Qdrant did not answer for " + namespace, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException status
                    && status.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw notFound(namespace);
            }
            throw new FrostbyteException(
                    ErrorCode.INDEX_FAILED, "Qdrant call for " + namespace + " failed", e.getCause());
        }
    }
}
