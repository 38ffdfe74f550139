package io.frostbyte.index.lucene;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * {@link VectorIndex} on embedded Lucene: one index directory per namespace, {@code
 * <dataDir>/tenants/<tenant_id>/index/g<generation>/} (spec/04 §4.3). Vectors go to an HNSW graph (Lucene's defaults:
 * M 16, beam 100) under cosine similarity; the chunk text is analyzed by {@code fb-standard-1} into an indexed, not
 * stored, field scored by BM25 (k1 1.2, b 0.75). Both legs run under the same pre-filter and are fused by {@link
 * ReciprocalRankFusion}.
 *
 * <p>The dimension is written into the commit user data at creation and checked on every write and query. Every write
 * is committed before it returns. {@link #replaceDocument}, the pipeline's write, is applied as one atomic Lucene
 * update (the document's old points deleted and the new ones added as one block) and then waits for a group commit:
 * one caller commits while the writes applied meanwhile wait and are covered by the next commit, so concurrent
 * documents share a flush and an fsync instead of paying one each; a committer first waits, briefly, for writes
 * announced by {@link #announceWrite} and still being prepared, so they share its segment too. {@link #upsert} and
 * {@link #deleteDocument} apply and commit under the namespace's lock. Searchers read the last commit ({@link SearcherManager} over the directory,
 * refreshed after each commit), so readers never block on a writer, see a write once it returned, and never see a
 * write that was not committed. Close the index to release the writers.
 */
public final class LuceneVectorIndex implements VectorIndex, AutoCloseable {
    static final String CHUNK_ID = "chunk_id";
    static final String DOC_ID = "doc_id";
    static final String TENANT_ID = "tenant_id";
    static final String CLASSIFICATION = "classification";
    static final String PAGE = "page";
    static final String INGESTED_DAY = "ingested_day";
    static final String INGESTED_AT = "ingested_at_ms";
    static final String VECTOR = "vector";
    static final String TEXT = "text";
    static final String DIMENSION_KEY = "frostbyte.dimension";
    static final String ANALYZER_KEY = "frostbyte.analyzer";
    private static final int MAX_QUERY_TERMS = 64;

    private final Path dataDir;
    private final Analyzer analyzer = new FbStandardAnalyzer();
    private final BM25Similarity similarity = new BM25Similarity(1.2f, 0.75f);
    private final Map<IndexNamespace, Handle> open = new ConcurrentHashMap<>();
    /** The write the current thread announced and has not yet applied, if any. */
    private final ThreadLocal<Announced> announced = new ThreadLocal<>();

    /** How long a group commit waits, at most, for announced writes still being prepared. */
    static final Duration ANNOUNCED_WAIT = Duration.ofMillis(100);

    private final long announcedWaitNanos;

    /** The writer, searcher manager, fixed dimension and group-commit state of one open namespace. */
    private record Handle(
            FSDirectory directory, IndexWriter writer, SearcherManager searchers, int dimension, GroupCommit group)
            implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (directory;
                    writer;
                    searchers) {
                // closed in reverse order of declaration
            }
        }
    }

    public LuceneVectorIndex(Path dataDir) {
        this(dataDir, ANNOUNCED_WAIT);
    }

    /** With another bound on a commit's wait for announced writes (tests). */
    LuceneVectorIndex(Path dataDir, Duration announcedWait) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null").toAbsolutePath();
        this.announcedWaitNanos = announcedWait.toNanos();
    }

    /** The directory of a namespace: {@code tenants/<tenant_id>/index/g<generation>} under the data dir. */
    public Path directory(IndexNamespace namespace) {
        return dataDir.resolve("tenants")
                .resolve(namespace.tenantId().value())
                .resolve("index")
                .resolve("g" + namespace.generation());
    }

    @Override
    public synchronized void create(IndexNamespace namespace, int dimension) {
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
        try {
            Files.createDirectories(directory(namespace));
            open.put(namespace, openHandle(namespace, dimension));
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "cannot create index " + namespace, e);
        }
    }

    @Override
    public boolean exists(IndexNamespace namespace) {
        return dimension(namespace).isPresent();
    }

    @Override
    public OptionalInt dimension(IndexNamespace namespace) {
        Handle handle = open.get(namespace);
        if (handle != null) {
            return OptionalInt.of(handle.dimension());
        }
        Path path = directory(namespace);
        if (!Files.isDirectory(path)) {
            return OptionalInt.empty();
        }
        try (FSDirectory directory = FSDirectory.open(path)) {
            if (!DirectoryReader.indexExists(directory)) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(storedDimension(namespace, directory));
        } catch (IOException e) {
            if (!Files.isDirectory(path)
                    || e instanceof java.nio.file.NoSuchFileException
                    || e instanceof org.apache.lucene.index.IndexNotFoundException) {
                return OptionalInt.empty(); // dropped while we looked: its files went away under the reader
            }
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "cannot read index " + namespace, e);
        }
    }

    private static int storedDimension(IndexNamespace namespace, FSDirectory directory) throws IOException {
        String value = SegmentInfos.readLatestCommit(directory).getUserData().get(DIMENSION_KEY);
        if (value == null) {
            throw new FrostbyteException(
                    ErrorCode.INDEX_FAILED, "index " + namespace + " has no recorded dimension in its commit");
        }
        return Integer.parseInt(value);
    }

    private Handle openHandle(IndexNamespace namespace, int dimension) throws IOException {
        FSDirectory directory = FSDirectory.open(directory(namespace));
        try {
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setSimilarity(similarity)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64);
            IndexWriter writer = new IndexWriter(directory, config);
            try {
                writer.setLiveCommitData(Map.of(
                                DIMENSION_KEY,
                                Integer.toString(dimension),
                                ANALYZER_KEY,
                                io.frostbyte.core.index.KeywordTerms.ANALYZER)
                        .entrySet());
                writer.commit();
                SearcherManager searchers = new SearcherManager(directory, new SearcherFactory() {
                    @Override
                    public IndexSearcher newSearcher(
                            org.apache.lucene.index.IndexReader reader, org.apache.lucene.index.IndexReader previous) {
                        IndexSearcher searcher = new IndexSearcher(reader);
                        searcher.setSimilarity(similarity);
                        return searcher;
                    }
                });
                return new Handle(directory, writer, searchers, dimension, new GroupCommit());
            } catch (IOException | RuntimeException e) {
                writer.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /** The open handle of an existing namespace, opening it on first use; RESOURCE_NOT_FOUND when it was never made. */
    private Handle handle(IndexNamespace namespace) {
        Handle handle = open.get(namespace);
        if (handle != null) {
            return handle;
        }
        synchronized (this) {
            handle = open.get(namespace);
            if (handle != null) {
                return handle;
            }
            OptionalInt dimension = dimension(namespace);
            if (dimension.isEmpty()) {
                throw notFound(namespace);
            }
            try {
                handle = openHandle(namespace, dimension.getAsInt());
            } catch (IOException e) {
                throw new FrostbyteException(ErrorCode.INDEX_FAILED, "cannot open index " + namespace, e);
            }
            open.put(namespace, handle);
            return handle;
        }
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
        Handle handle = handle(namespace);
        for (IndexPoint point : points) {
            Vectors.requireUsable(point.vector(), handle.dimension());
        }
        write(namespace, handle, writer -> {
            for (IndexPoint point : points) {
                writer.updateDocument(new Term(CHUNK_ID, point.chunkId()), document(namespace, point));
            }
        });
    }

    @Override
    public void deleteDocument(IndexNamespace namespace, DocId docId) {
        requireNonNull(docId, "docId is null");
        Handle handle = handle(namespace);
        write(namespace, handle, writer -> writer.deleteDocuments(new Term(DOC_ID, docId.value())));
    }

    /**
     * Counts the write as pending in the namespace's group commit until this thread applies it in {@link
     * #replaceDocument} or closes the announcement: a caller about to commit first waits (at most {@link
     * #ANNOUNCED_WAIT}) for pending writes, so documents indexed side by side share one segment, flush and fsync.
     */
    @Override
    public WriteAnnouncement announceWrite(IndexNamespace namespace) {
        Handle handle = handle(namespace);
        Announced previous = announced.get();
        if (previous != null) {
            previous.close();
        }
        Announced announcement = new Announced(namespace, handle.group());
        handle.group().announce();
        announced.set(announcement);
        return announcement;
    }

    /** One thread's announced write: pending in its group until applied or closed, once. */
    private final class Announced implements WriteAnnouncement {
        private final IndexNamespace namespace;
        private final GroupCommit group;
        private boolean done;

        Announced(IndexNamespace namespace, GroupCommit group) {
            this.namespace = namespace;
            this.group = group;
        }

        /** Marks the write as no longer pending (applied or given up); later calls do nothing. */
        void settle() {
            if (!done) {
                done = true;
                group.settle();
            }
        }

        @Override
        public void close() {
            settle();
            if (announced.get() == this) {
                announced.remove();
            }
        }
    }

    /** Deletes the document's points and adds {@code points} in one commit: readers see the old set or the new one. */
    @Override
    public void replaceDocument(IndexNamespace namespace, DocId docId, List<IndexPoint> points) {
        Handle handle = handle(namespace);
        VectorIndex.requireReplacement(docId, points, handle.dimension());
        List<Document> documents =
                points.stream().map(point -> document(namespace, point)).toList();
        long sequence;
        try {
            // one block: a commit holds the old points or the new ones, never a mix
            Term document = new Term(DOC_ID, docId.value());
            sequence = documents.isEmpty()
                    ? handle.writer().deleteDocuments(document)
                    : handle.writer().updateDocuments(document, documents);
        } catch (IOException | RuntimeException e) {
            throw failed(namespace, handle, e);
        } finally {
            Announced own = announced.get();
            if (own != null && own.namespace.equals(namespace)) {
                own.settle();
            }
        }
        commitThrough(namespace, handle, sequence);
    }

    /**
     * Returns once a commit holds every operation up to {@code sequence}. The first caller to find no commit running
     * commits everything applied so far; the others wait for it and return if it covered them, or one of them commits
     * next. A failed commit rolls the writer back (the namespace reopens at its last commit on next use) and fails
     * every caller whose operation it had not yet made durable.
     */
    private void commitThrough(IndexNamespace namespace, Handle handle, long sequence) {
        GroupCommit group = handle.group();
        boolean interrupted = false;
        synchronized (group) {
            while (true) {
                if (group.durable >= sequence) {
                    return;
                }
                if (group.failed) {
                    throw new FrostbyteException(
                            ErrorCode.INDEX_FAILED, "write to index " + namespace + " was rolled back");
                }
                if (!group.committing) {
                    group.committing = true;
                    interrupted = group.awaitAnnounced(announcedWaitNanos);
                    break;
                }
                try {
                    group.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FrostbyteException(
                            ErrorCode.INDEX_FAILED, "interrupted waiting for a commit of index " + namespace, e);
                }
            }
        }
        synchronized (handle) {
            try {
                // commit() returns the sequence number of the last operation it holds; this caller's own operation
                // was applied before it started
                long committed = Math.max(sequence, handle.writer().commit());
                handle.searchers().maybeRefreshBlocking();
                group.committed(committed);
            } catch (IOException | RuntimeException e) {
                throw failed(namespace, handle, e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * The group-commit state of a namespace: the highest sequence number a commit holds, whether a caller is
     * committing, and whether the writer was rolled back (its uncommitted operations are gone).
     */
    private static final class GroupCommit {
        private long durable = -1;
        private boolean committing;
        private boolean failed;
        private int announced;

        synchronized void announce() {
            announced++;
        }

        synchronized void settle() {
            announced--;
            notifyAll();
        }

        /**
         * Waits, at most {@code nanos}, until no announced write is pending (called by the committer, holding this
         * monitor; waiting releases it, so the pending writers can apply and join). An interrupt ends the wait and is
         * returned, not re-asserted: the commit that follows must not meet an interrupted thread in its file I/O.
         */
        boolean awaitAnnounced(long nanos) {
            long deadline = System.nanoTime() + nanos;
            for (long left = nanos; announced > 0 && left > 0; left = deadline - System.nanoTime()) {
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    return true;
                }
            }
            return false;
        }

        synchronized void committed(long sequence) {
            durable = Math.max(durable, sequence);
            committing = false;
            notifyAll();
        }

        synchronized void rolledBack() {
            failed = true;
            committing = false;
            notifyAll();
        }
    }

    private interface WriteAction {
        void apply(IndexWriter writer) throws IOException;
    }

    /**
     * Applies, commits and refreshes under the namespace's lock. On failure the uncommitted changes are rolled back
     * (the writer closes itself) and the namespace is reopened on next use, so a batch is all or nothing.
     */
    private void write(IndexNamespace namespace, Handle handle, WriteAction action) {
        synchronized (handle) {
            try {
                action.apply(handle.writer());
                long committed = handle.writer().commit();
                handle.searchers().maybeRefreshBlocking();
                handle.group().committed(committed);
            } catch (IOException | RuntimeException e) {
                throw failed(namespace, handle, e);
            }
        }
    }

    /** Discards the namespace's writer after a failed write and returns the error to throw. */
    private FrostbyteException failed(IndexNamespace namespace, Handle handle, Exception e) {
        discard(namespace, handle);
        if (e instanceof AlreadyClosedException) {
            return notFound(namespace);
        }
        return new FrostbyteException(ErrorCode.INDEX_FAILED, "write to index " + namespace + " failed", e);
    }

    private void discard(IndexNamespace namespace, Handle handle) {
        handle.group().rolledBack();
        open.remove(namespace, handle);
        try {
            handle.writer().rollback();
        } catch (IOException | RuntimeException ignored) {
            // the writer is closed either way; the last commit stays the index's state
        }
        try {
            handle.close();
        } catch (IOException | RuntimeException ignored) {
            // already released by the rollback
        }
    }

    private static Document document(IndexNamespace namespace, IndexPoint point) {
        Document doc = new Document();
        doc.add(new StringField(CHUNK_ID, point.chunkId(), Field.Store.YES));
        doc.add(new StringField(DOC_ID, point.docId().value(), Field.Store.YES));
        doc.add(new StringField(TENANT_ID, namespace.tenantId().value(), Field.Store.YES));
        doc.add(new StringField(CLASSIFICATION, point.classification(), Field.Store.YES));
        doc.add(new StoredField(PAGE, point.page()));
        doc.add(new IntPoint(INGESTED_DAY, point.ingestedDay()));
        doc.add(new StoredField(INGESTED_DAY, point.ingestedDay()));
        doc.add(new StoredField(INGESTED_AT, point.ingestedAt().toEpochMilli()));
        doc.add(new KnnFloatVectorField(VECTOR, point.vector(), VectorSimilarityFunction.COSINE));
        doc.add(new TextField(TEXT, point.text(), Field.Store.NO));
        return doc;
    }

    @Override
    public List<StoredPoint> fetch(IndexNamespace namespace, List<String> chunkIds) {
        requireNonNull(chunkIds, "chunkIds is null");
        if (chunkIds.size() > MAX_BATCH) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "fetch takes at most " + MAX_BATCH + " ids");
        }
        if (chunkIds.isEmpty()) {
            handle(namespace);
            return List.of();
        }
        return withSearcher(namespace, searcher -> {
            Query query = new TermInSetQuery(
                    CHUNK_ID, chunkIds.stream().map(BytesRef::new).toList());
            Map<String, StoredPoint> found = new LinkedHashMap<>();
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc hit : searcher.search(query, chunkIds.size()).scoreDocs) {
                Document doc = stored.document(hit.doc);
                found.put(
                        doc.get(CHUNK_ID),
                        new StoredPoint(
                                doc.get(CHUNK_ID),
                                new DocId(doc.get(DOC_ID)),
                                doc.get(CLASSIFICATION),
                                doc.getField(PAGE).numericValue().intValue(),
                                Instant.ofEpochMilli(
                                        doc.getField(INGESTED_AT).numericValue().longValue()),
                                vector(searcher, hit.doc)));
            }
            return chunkIds.stream().filter(found::containsKey).map(found::get).toList();
        });
    }

    private static float[] vector(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
        int target = doc - leaf.docBase;
        KnnVectorValues.DocIndexIterator iterator = values.iterator();
        if (iterator.advance(target) != target) {
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "indexed chunk has no vector");
        }
        return values.vectorValue(iterator.index()).clone();
    }

    @Override
    public List<SearchHit> search(IndexNamespace namespace, SearchRequest request) {
        requireNonNull(request, "request is null");
        Handle handle = handle(namespace);
        float[] queryVector = request.queryVector();
        Vectors.requireUsable(queryVector, handle.dimension());
        Query filter = filterQuery(request.filter());
        int perLeg = request.candidatesPerLeg();
        return withSearcher(namespace, searcher -> {
            List<ReciprocalRankFusion.Candidate> vectorLeg = List.of();
            List<ReciprocalRankFusion.Candidate> keywordLeg = List.of();
            if (request.mode() != SearchMode.KEYWORD) {
                Query knn = new KnnFloatVectorQuery(VECTOR, queryVector, perLeg, filter);
                vectorLeg = candidates(searcher, searcher.search(knn, perLeg).scoreDocs);
            }
            if (request.mode() != SearchMode.VECTOR) {
                Query keywords = keywordQuery(request.queryText());
                if (keywords != null) {
                    Query filtered = new BooleanQuery.Builder()
                            .add(keywords, BooleanClause.Occur.MUST)
                            .add(filter, BooleanClause.Occur.FILTER)
                            .build();
                    keywordLeg = candidates(searcher, searcher.search(filtered, perLeg).scoreDocs);
                }
            }
            return ReciprocalRankFusion.fuse(vectorLeg, keywordLeg, request.limit());
        });
    }

    private static List<ReciprocalRankFusion.Candidate> candidates(IndexSearcher searcher, ScoreDoc[] hits)
            throws IOException {
        StoredFields stored = searcher.storedFields();
        List<ReciprocalRankFusion.Candidate> out = new ArrayList<>(hits.length);
        Set<String> fields = Set.of(CHUNK_ID, DOC_ID, CLASSIFICATION, PAGE);
        for (ScoreDoc hit : hits) {
            Document doc = stored.document(hit.doc, fields);
            out.add(new ReciprocalRankFusion.Candidate(
                    doc.get(CHUNK_ID),
                    new DocId(doc.get(DOC_ID)),
                    doc.get(CLASSIFICATION),
                    doc.getField(PAGE).numericValue().intValue()));
        }
        return out;
    }

    private Query keywordQuery(String text) {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream(TEXT, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        terms.forEach(t -> query.add(new TermQuery(new Term(TEXT, t)), BooleanClause.Occur.SHOULD));
        return query.build();
    }

    private static Query filterQuery(SearchFilter filter) {
        BooleanQuery.Builder query =
                new BooleanQuery.Builder().add(MatchAllDocsQuery.INSTANCE, BooleanClause.Occur.FILTER);
        if (!filter.classifications().isEmpty()) {
            query.add(
                    new TermInSetQuery(
                            CLASSIFICATION,
                            filter.classifications().stream().map(BytesRef::new).toList()),
                    BooleanClause.Occur.FILTER);
        }
        if (filter.ingestedFrom().isPresent() || filter.ingestedTo().isPresent()) {
            query.add(
                    IntPoint.newRangeQuery(INGESTED_DAY, filter.fromDay(), filter.toDay()), BooleanClause.Occur.FILTER);
        }
        if (!filter.docIds().isEmpty()) {
            query.add(
                    new TermInSetQuery(
                            DOC_ID,
                            filter.docIds().stream()
                                    .map(d -> new BytesRef(d.value()))
                                    .toList()),
                    BooleanClause.Occur.FILTER);
        }
        return query.build();
    }

    @Override
    public long count(IndexNamespace namespace) {
        return withSearcher(
                namespace, searcher -> (long) searcher.getIndexReader().numDocs());
    }

    /** The sum of the namespace directory's file sizes: its commits and the segments they hold. */
    @Override
    public java.util.OptionalLong storageBytes(IndexNamespace namespace) {
        Path path = directory(namespace);
        if (!Files.isDirectory(path)) {
            return java.util.OptionalLong.of(0);
        }
        long total = 0;
        try (Stream<Path> files = Files.list(path)) {
            for (Path file : files.toList()) {
                try {
                    total += Files.size(file);
                } catch (java.nio.file.NoSuchFileException e) {
                    // merged away while we looked
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return java.util.OptionalLong.of(0); // dropped while we looked
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "cannot measure index " + namespace, e);
        }
        return java.util.OptionalLong.of(total);
    }

    private interface SearcherAction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(IndexNamespace namespace, SearcherAction<T> action) {
        Handle handle = handle(namespace);
        IndexSearcher searcher;
        try {
            searcher = handle.searchers().acquire();
        } catch (AlreadyClosedException e) {
            throw notFound(namespace);
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "cannot open a searcher on " + namespace, e);
        }
        try {
            return action.apply(searcher);
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "reading index " + namespace + " failed", e);
        } finally {
            try {
                handle.searchers().release(searcher);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void drop(IndexNamespace namespace) {
        Handle handle = open.remove(namespace);
        try {
            if (handle != null) {
                synchronized (handle) {
                    handle.close();
                }
            }
            Path path = directory(namespace);
            if (Files.exists(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            if (Files.exists(path)) {
                throw new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR, "index " + namespace + " still exists after drop");
            }
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "cannot drop index " + namespace, e);
        }
    }

    @Override
    public synchronized void close() {
        for (IndexNamespace namespace : List.copyOf(open.keySet())) {
            Handle handle = open.remove(namespace);
            try {
                handle.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
