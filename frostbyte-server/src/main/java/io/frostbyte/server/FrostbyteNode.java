package io.frostbyte.server;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.jwk.OctetKeyPair;
import io.frostbyte.clamav.ClamdEndpoint;
import io.frostbyte.clamav.ClamdMalwareScanner;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.index.VectorIndexStep;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.core.job.Stage;
import io.frostbyte.core.scan.MalwareScanner;
import io.frostbyte.core.sign.Signer;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.core.tenant.PlatformLimits;
import io.frostbyte.core.tenant.ProvisioningSchedule;
import io.frostbyte.core.tenant.SecretSealer;
import io.frostbyte.crypto.EnvelopeCipher;
import io.frostbyte.crypto.FileMasterKey;
import io.frostbyte.crypto.MasterKey;
import io.frostbyte.crypto.MasterKeySecretSealer;
import io.frostbyte.crypto.SecretFiles;
import io.frostbyte.crypto.SigningKey;
import io.frostbyte.crypto.SigningKeySigner;
import io.frostbyte.crypto.TenantKeyring;
import io.frostbyte.crypto.TenantKeysetStep;
import io.frostbyte.objectstore.FilesystemObjectStore;
import io.frostbyte.objectstore.ObjectNamespaceStep;
import io.frostbyte.objectstore.S3ObjectStore;
import io.frostbyte.postgres.PostgresAdminNotes;
import io.frostbyte.postgres.PostgresAuditExports;
import io.frostbyte.postgres.PostgresBatches;
import io.frostbyte.postgres.PostgresDeadLetters;
import io.frostbyte.postgres.PostgresEmbeddingHalts;
import io.frostbyte.postgres.PostgresJobQueue;
import io.frostbyte.postgres.PostgresKeysetTombstones;
import io.frostbyte.postgres.PostgresTenantDocuments;
import io.frostbyte.postgres.PostgresTenantKeysetStore;
import io.frostbyte.postgres.PostgresTenantLifecycle;
import io.frostbyte.postgres.PostgresTenantRegistry;
import io.frostbyte.postgres.TenantDatabaseStep;
import io.frostbyte.postgres.TenantDatabases;
import io.frostbyte.postgres.TenantStateListener;
import io.frostbyte.postgres.WorkerPool;
import io.frostbyte.postgres.audit.AuditCheckpointer;
import io.frostbyte.postgres.audit.AuditExportWriter;
import io.frostbyte.postgres.audit.AuditVerifier;
import io.frostbyte.postgres.audit.PostgresAuditLog;
import io.frostbyte.postgres.audit.PostgresAuditQueries;
import io.frostbyte.server.api.AdminController;
import io.frostbyte.server.api.ApiRoutes;
import io.frostbyte.server.api.AuditController;
import io.frostbyte.server.api.DeadLetterController;
import io.frostbyte.server.api.EmbeddingController;
import io.frostbyte.server.api.IngestController;
import io.frostbyte.server.api.QueryController;
import io.frostbyte.server.api.ReviewController;
import io.frostbyte.server.api.SystemController;
import io.frostbyte.server.api.TenantAdminController;
import io.frostbyte.server.auth.Authenticator;
import io.frostbyte.server.auth.IssuedToken;
import io.frostbyte.server.auth.TenantStateCache;
import io.frostbyte.server.auth.TokenService;
import io.frostbyte.server.config.FrostbyteConfig;
import io.frostbyte.server.health.CheckResult;
import io.frostbyte.server.health.HealthCheck;
import io.frostbyte.server.health.HealthService;
import io.frostbyte.server.http.ApiServer;
import io.frostbyte.server.http.OpenApiDocument;
import io.frostbyte.server.http.Route;
import io.frostbyte.server.intake.IntakeMetrics;
import io.frostbyte.server.intake.IntakeService;
import io.frostbyte.server.jobs.AuditExportJob;
import io.frostbyte.server.metrics.JobMetrics;
import io.frostbyte.server.metrics.Metrics;
import io.frostbyte.server.metrics.MetricsListener;
import io.frostbyte.server.ratelimit.RateLimiter;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component of one Frostbyte process from its configuration with plain
 * constructors, starts them in order and stops them in reverse.
 */
public final class FrostbyteNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrostbyteNode.class);
    /** How long one call to Qdrant may take (a batch upsert waits until the server applied it). */
    private static final Duration QDRANT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final FrostbyteConfig config;
    private final Deque<AutoCloseable> closeables;
    private final Optional<ApiServer> api;
    private final Path adminTokenFile;
    private final boolean adminTokenCreated;
    private final TokenService tokens;
    private final PostgresTenantRegistry registry;
    private final TenantStateCache tenantCache;
    private final TenantKeyring keyring;
    private final PostgresJobQueue jobs;
    private final DatabaseRuntime database;
    private final List<Route> routes;
    private final PostgresAuditLog auditLog;
    private final PostgresTenantLifecycle lifecycle;
    private final AuditVerifier auditVerifier;
    private final AuditCheckpointer checkpointer;
    private final io.frostbyte.core.index.VectorIndex index;
    private final ObjectStore objects;
    private final TenantDatabases tenantDatabases;
    private final io.frostbyte.server.index.IndexGenerations generations;
    private final io.frostbyte.server.metrics.TenantUsageMeter usage;
    private final io.frostbyte.server.metrics.AuditWatch auditWatch;

    private FrostbyteNode(Builder b) {
        this.usage = b.usage;
        this.auditWatch = b.auditWatch;
        this.index = b.index;
        this.objects = b.objects;
        this.tenantDatabases = b.tenantDatabases;
        this.generations = b.generations;
        this.config = b.config;
        this.closeables = b.closeables;
        this.api = b.api;
        this.adminTokenFile = b.adminTokenFile;
        this.adminTokenCreated = b.adminTokenCreated;
        this.tokens = b.tokens;
        this.registry = b.registry;
        this.tenantCache = b.tenantCache;
        this.keyring = b.keyring;
        this.jobs = b.jobs;
        this.database = b.database;
        this.routes = b.routes;
        this.auditLog = b.auditLog;
        this.lifecycle = b.lifecycle;
        this.auditVerifier = b.auditVerifier;
        this.checkpointer = b.checkpointer;
    }

    private static final class Builder {
        FrostbyteConfig config;
        Deque<AutoCloseable> closeables = new ArrayDeque<>();
        Optional<ApiServer> api = Optional.empty();
        Path adminTokenFile;
        boolean adminTokenCreated;
        TokenService tokens;
        PostgresTenantRegistry registry;
        TenantStateCache tenantCache;
        TenantKeyring keyring;
        PostgresJobQueue jobs;
        DatabaseRuntime database;
        List<Route> routes = List.of();
        PostgresAuditLog auditLog;
        PostgresTenantLifecycle lifecycle;
        AuditVerifier auditVerifier;
        AuditCheckpointer checkpointer;
        ObjectStore objects;
        TenantDatabases tenantDatabases;
        Optional<MalwareScanner> scanner = Optional.empty();
        SigningKey signing;
        io.frostbyte.embed.onnx.OnnxEmbeddingModel model;
        io.frostbyte.core.index.VectorIndex index;
        io.frostbyte.server.index.EmbeddingProfiles profiles;
        io.frostbyte.postgres.PostgresIndexGenerations generationStore;
        io.frostbyte.server.index.CachedIndexGenerations generations;
        io.frostbyte.server.metrics.TenantUsageMeter usage;
        io.frostbyte.server.metrics.AuditWatch auditWatch;
    }

    /** Starts a node; on any failure everything started so far is stopped again. */
    public static FrostbyteNode start(FrostbyteConfig config, Clock clock, Map<Stage, JobHandler> handlers) {
        requireNonNull(config, "config is null");
        Builder b = new Builder();
        b.config = config;
        try {
            prepareDataDir(config.dataDir());
            MasterKey master = FileMasterKey.loadOrCreate(config.keys().masterKeyFile());
            SigningKey signing = SigningKey.loadOrCreate(config.keys().signingKeyFile());
            SigningKey audit = SigningKey.loadOrCreate(config.keys().auditKeyFile());
            b.tokens = tokenService(config, clock);

            b.database = push(b, DatabaseRuntime.forServer(config));
            var dataSource = b.database.database().dataSource();
            b.registry = new PostgresTenantRegistry(dataSource, clock);
            b.keyring = new TenantKeyring(
                    new PostgresTenantKeysetStore(
                            dataSource, b.database.database().adminDataSource()),
                    master,
                    clock);
            b.jobs = new PostgresJobQueue(
                    dataSource,
                    clock,
                    config.workers().lease(),
                    config.workers().maxConcurrentPerTenant());

            Metrics metrics = push(b, new Metrics());
            // the kill-switch view reads through its own two connections: a busy pipeline holding every pooled
            // connection must never make it stale (a stale view fails every request closed)
            PostgresTenantRegistry stateRegistry = new PostgresTenantRegistry(push(b, statePool(dataSource)), clock);
            b.tenantCache = push(b, new TenantStateCache(stateRegistry::statuses).start());
            TenantStateCache cache = b.tenantCache;
            var database = b.database.database();
            push(
                    b,
                    TenantStateListener.start(
                            database::openDedicatedConnection, tenantId -> cache.refresh(), cache::refresh));
            metrics.gauge(
                    "frostbyte.tenant.cache.age.seconds",
                    "Age of this node's tenant-state cache",
                    () -> Math.min(cache.ageSeconds(), 1e9));

            JobMetrics jobMetrics = new JobMetrics(b.jobs, metrics);

            b.objects = objectStore(config, new EnvelopeCipher(b.keyring));
            b.scanner = Optional.of(push(b, malwareScanner(config)));
            io.frostbyte.core.scan.MalwareScanner scanner = b.scanner.get();
            metrics.gauge(
                    "frostbyte.malware.signature.age.seconds",
                    "Age of clamd's signature database (NaN while clamd does not answer)",
                    new io.frostbyte.server.metrics.CachedGauge(Duration.ofMinutes(5), () -> {
                        try {
                            return ClamdMalwareScanner.signatureDate(scanner.version())
                                    .map(date -> (double) Duration.between(date, clock.instant())
                                            .toSeconds())
                                    .orElse(Double.NaN);
                        } catch (RuntimeException e) {
                            return Double.NaN;
                        }
                    }));
            Signer signingSigner = new SigningKeySigner(signing);
            Signer auditSigner = new SigningKeySigner(audit);
            b.auditLog = new PostgresAuditLog(clock, new io.frostbyte.server.metrics.AuditMetrics(metrics.registry()));
            b.checkpointer = push(
                    b,
                    new AuditCheckpointer(
                            dataSource,
                            b.auditLog,
                            auditSigner,
                            clock,
                            config.effective().integer("audit.checkpoint_every_events"),
                            Duration.ofSeconds(config.effective().integer("audit.checkpoint_every_seconds"))));
            b.checkpointer.start(
                    Duration.ofSeconds(Math.min(30, config.effective().integer("audit.checkpoint_every_seconds"))));
            b.auditVerifier = new AuditVerifier(dataSource, auditSigner::verify);
            b.auditWatch = push(
                    b,
                    new io.frostbyte.server.metrics.AuditWatch(
                                    b.auditVerifier::chains,
                                    b.auditVerifier::verify,
                                    b.checkpointer::latestTimes,
                                    metrics,
                                    clock)
                            .start(Duration.ofMinutes(5)));
            SecretSealer sealer = new MasterKeySecretSealer(master);
            b.tenantDatabases = push(
                    b,
                    new TenantDatabases(
                            dataSource,
                            b.database.serverUrl(),
                            sealer,
                            config.db().tenantPoolSize()));
            // the model fixes the dimension of every tenant index the provisioning step creates; a call spreads its
            // texts over every core, so one large document alone still keeps the machine busy
            b.model = push(
                    b,
                    io.frostbyte.embed.onnx.OnnxEmbeddingModel.miniLmL6V2Quantized(
                            Math.max(1, Runtime.getRuntime().availableProcessors())));
            b.index = vectorIndex(b, config);
            b.profiles = io.frostbyte.server.index.EmbeddingProfiles.of(
                    config.effective().string("embedding.profile"),
                    b.model,
                    config.effective().optionalString("embedding.endpoint"),
                    config.effective().optionalString("embedding.api_key"),
                    Duration.ofSeconds(config.effective().integer("embedding.timeout_seconds")));
            b.generationStore = new io.frostbyte.postgres.PostgresIndexGenerations(dataSource, clock);
            b.generations = new io.frostbyte.server.index.CachedIndexGenerations(
                    b.generationStore, b.profiles, Duration.ofSeconds(2));
            ExecutorService background = push(b, Executors.newVirtualThreadPerTaskExecutor());
            b.lifecycle = new PostgresTenantLifecycle(
                    dataSource,
                    b.auditLog,
                    signingSigner,
                    List.of(
                            new TenantKeysetStep(b.keyring, new PostgresKeysetTombstones(dataSource)),
                            // before the database and objects: deprovisioning runs this list in order (spec/07 §7.4)
                            new VectorIndexStep(
                                    b.index,
                                    b.profiles
                                            .model(b.profiles.deploymentProfile())
                                            .orElseThrow()
                                            .dimension(),
                                    tenantId -> b.generationStore.list(tenantId).stream()
                                            .map(io.frostbyte.postgres.IndexGeneration::generation)
                                            .toList()),
                            new TenantDatabaseStep(
                                    b.database.database().adminDataSource(),
                                    dataSource,
                                    b.database.serverUrl(),
                                    sealer,
                                    clock),
                            new ObjectNamespaceStep(b.objects)),
                    new PostgresTenantLifecycle.Settings(
                            new PlatformLimits(
                                    config.intake().enabledTypes(),
                                    config.effective().integer("malware.stream_max_mb"),
                                    Optional.empty()),
                            ProvisioningSchedule.standard(),
                            config.effective().integer("backup.retention_days")),
                    background,
                    b.tenantDatabases::close,
                    clock);
            PostgresBatches receipts = new PostgresBatches(dataSource, clock);
            b.usage = push(
                    b,
                    new io.frostbyte.server.metrics.TenantUsageMeter(
                                    new io.frostbyte.server.metrics.TenantUsageMeter.Sources(
                                            cache::all,
                                            tenantId -> b.lifecycle
                                                    .find(tenantId)
                                                    .map(tenant -> (long) tenant.config()
                                                                    .storageQuotaGb()
                                                            << 30),
                                            b.objects,
                                            new io.frostbyte.postgres.PostgresTenantUsage(
                                                    dataSource, b.tenantDatabases),
                                            b.index,
                                            tenantId -> b.generationStore.list(tenantId).stream()
                                                    .map(io.frostbyte.postgres.IndexGeneration::generation)
                                                    .toList(),
                                            receipts::storedBytes),
                                    metrics,
                                    clock)
                            .start());
            // orphaned staging objects (a process stopped mid-request) go after a day (spec/01 INT-4)
            push(
                    b,
                    new io.frostbyte.server.intake.StagingJanitor(
                                    b.objects,
                                    () -> cache.all().values().stream()
                                            .filter(status -> !status.tenantId().isPlatform()
                                                    && (status.state() == io.frostbyte.core.tenant.TenantState.ACTIVE
                                                            || status.state()
                                                                    == io.frostbyte.core.tenant.TenantState.SUSPENDED))
                                            .map(io.frostbyte.core.tenant.TenantStatus::tenantId)
                                            .toList(),
                                    clock)
                            .start(Duration.ofMinutes(1), Duration.ofHours(1)));
            PostgresAuditExports exports = new PostgresAuditExports(dataSource, clock);
            Map<Stage, JobHandler> allHandlers = new java.util.EnumMap<>(Stage.class);
            if (config.server().role().runsWorkers()) {
                allHandlers.putAll(io.frostbyte.server.pipeline.Pipeline.handlers(
                        b.objects,
                        new PostgresTenantDocuments(b.tenantDatabases),
                        new io.frostbyte.postgres.PostgresDocumentStore(b.tenantDatabases),
                        new PostgresBatches(dataSource, clock),
                        b.auditLog,
                        b.jobs,
                        b.database.database(),
                        b.lifecycle::find,
                        clock,
                        Version.current(),
                        parser(config.effective()),
                        parseLimits(config.effective()),
                        b.model,
                        b.index,
                        push(b, io.frostbyte.server.pipeline.Pipeline.cpuPool()),
                        b.registry,
                        metrics.registry(),
                        b.generations));
            }
            allHandlers.putAll(handlers);
            if (config.server().role().runsWorkers()) {
                push(
                        b,
                        new io.frostbyte.server.report.AcceptanceReports(
                                        new PostgresBatches(dataSource, clock),
                                        new io.frostbyte.postgres.PostgresReports(dataSource),
                                        new io.frostbyte.postgres.PostgresDocumentStore(b.tenantDatabases),
                                        b.objects,
                                        b.auditLog,
                                        b.database.database(),
                                        clock,
                                        b.model.modelId(),
                                        b.model.version(),
                                        b.model.dimension())
                                .start(Duration.ofMillis(500)));
            }
            allHandlers.put(
                    Stage.EXPORT,
                    new AuditExportJob(
                            new AuditExportWriter(dataSource, auditSigner, clock),
                            exports,
                            b.auditLog,
                            b.database.database(),
                            config.dataDir().resolve("exports").resolve("audit")));
            Optional<WorkerPool> workers = Optional.empty();
            if (config.server().role().runsWorkers()) {
                WorkerPool.Settings settings = WorkerPool.Settings.defaults(workerId())
                        .withThreads(config.workers().threads())
                        .withShutdownTimeout(SHUTDOWN_GRACE);
                workers = Optional.of(push(b, WorkerPool.start(b.jobs, allHandlers, settings, jobMetrics)));
            }

            if (config.server().role().runsApi()) {
                b.api = Optional.of(startApi(b, config, clock, metrics, signing, audit, workers, exports));
            }
            b.adminTokenFile = config.auth().adminTokenFile();
            b.adminTokenCreated = writeAdminTokenIfMissing(b.adminTokenFile, b.tokens, b.registry);
            return new FrostbyteNode(b);
        } catch (RuntimeException | Error e) {
            closeAll(b.closeables);
            throw e;
        }
    }

    private static ApiServer startApi(
            Builder b,
            FrostbyteConfig config,
            Clock clock,
            Metrics metrics,
            SigningKey signing,
            SigningKey audit,
            Optional<WorkerPool> workers,
            PostgresAuditExports exports) {
        DatabaseRuntime database = b.database;
        TenantStateCache cache = b.tenantCache;
        List<HealthCheck> checks = List.of(
                check(
                        "postgres",
                        true,
                        () -> CheckResult.up(database.database().ping().toMillis())),
                check("object_store", true, () -> objectStoreCheck(config.dataDir())),
                check(
                        "malware_scanner",
                        config.effective().bool("malware.required"),
                        () -> malwareCheck(b.scanner.get(), config.effective().bool("malware.required"))));
        HealthService health = push(
                b,
                new HealthService(
                        checks,
                        Version.current(),
                        config.shape().wire(),
                        config.server().role().name().toLowerCase(java.util.Locale.ROOT),
                        clock,
                        metrics));
        List<SystemController.PublicKey> keys = List.of(
                new SystemController.PublicKey(signing.keyId(), "signing", signing.publicKeyBase64(), null, null),
                new SystemController.PublicKey(audit.keyId(), "audit", audit.publicKeyBase64(), null, null));
        java.util.concurrent.atomic.AtomicReference<List<Route>> routes =
                new java.util.concurrent.atomic.AtomicReference<>(List.of());
        SystemController system = new SystemController(
                health,
                () -> readinessProblems(database, cache, workers, config),
                metrics,
                () -> OpenApiDocument.build(routes.get(), Version.current()),
                keys);
        AdminController admin = new AdminController(
                new AdminController.PlatformInfo(
                        Version.current(),
                        config.shape().wire(),
                        List.of(config.server().role().name().toLowerCase(java.util.Locale.ROOT)),
                        config.effective().string("embedding.profile"),
                        config.intake().enabledTypes(),
                        config.effective().string("generation.answerer"),
                        List.of(signing.keyId(), audit.keyId())),
                cache,
                b.registry::find,
                b.tokens,
                b.auditLog,
                database.database());
        TenantAdminController tenants =
                new TenantAdminController(b.lifecycle, cache, b.keyring, b.auditLog, database.database(), b.usage);
        AuditController auditApi = new AuditController(
                new PostgresAuditQueries(database.database().dataSource()),
                b.auditVerifier,
                exports,
                b.jobs,
                database.database(),
                clock);
        PostgresBatches batchStore = new PostgresBatches(database.database().dataSource(), clock);
        IntakeService intake = new IntakeService(
                b.lifecycle::find,
                cache::status,
                b.objects,
                b.scanner,
                batchStore,
                new PostgresTenantDocuments(b.tenantDatabases),
                b.auditLog,
                b.jobs,
                database.database(),
                new SigningKeySigner(signing),
                tenantId -> b.keyring.versions(tenantId).stream()
                        .filter(v -> v.status() == io.frostbyte.core.keys.KeyVersion.Status.PRIMARY)
                        .mapToInt(io.frostbyte.core.keys.KeyVersion::version)
                        .max()
                        .orElse(1),
                clock,
                new IntakeService.Settings(
                        config.intake().maxRequestGb(),
                        java.util.Set.copyOf(config.intake().enabledTypes()),
                        config.effective().bool("malware.required"),
                        Version.current(),
                        "parser-" + Version.current()),
                new IntakeMetrics(metrics.registry()),
                b.usage::usedBytes);
        IngestController ingest = new IngestController(
                intake,
                batchStore,
                new io.frostbyte.postgres.PostgresReports(database.database().dataSource()),
                b.lifecycle::find,
                cache,
                config.intake().maxRequestGb(),
                config.intake().enabledTypes(),
                Duration.ofMillis(250),
                Duration.ofSeconds(15),
                Duration.ofHours(1));
        QueryController query = new QueryController(
                new io.frostbyte.server.serving.SearchService(
                        b.index,
                        new io.frostbyte.postgres.PostgresDocumentStore(b.tenantDatabases),
                        new PostgresTenantDocuments(b.tenantDatabases),
                        b.auditLog,
                        database.database(),
                        new SigningKeySigner(signing),
                        answerer(config),
                        answerSettings(config.effective()),
                        clock,
                        b.generations,
                        metrics.registry()),
                new io.frostbyte.postgres.PostgresDocumentStore(b.tenantDatabases),
                b.lifecycle::find);
        ReviewController reviews = new ReviewController(
                new io.frostbyte.postgres.PostgresReviews(database.database().dataSource()),
                new io.frostbyte.postgres.PostgresDocumentStore(b.tenantDatabases),
                new PostgresTenantDocuments(b.tenantDatabases),
                b.index,
                b.objects,
                b.auditLog,
                database.database(),
                clock,
                b.generations);
        Runnable wakeWorkers = () -> workers.ifPresent(WorkerPool::wakeUp);
        PostgresAdminNotes notes = new PostgresAdminNotes(clock);
        DeadLetterController deadLetters = new DeadLetterController(
                new PostgresDeadLetters(database.database().dataSource(), clock),
                notes,
                b.auditLog,
                database.database(),
                wakeWorkers);
        EmbeddingController embedding = new EmbeddingController(
                new PostgresEmbeddingHalts(b.registry), notes, b.auditLog, database.database(), cache, wakeWorkers);
        List<Route> served = new ArrayList<>(ApiRoutes.build(
                system,
                admin,
                tenants,
                auditApi,
                ingest,
                query,
                reviews,
                config.server().metricsBind().isEmpty()));
        served.addAll(ApiRoutes.operations(deadLetters, embedding));
        io.frostbyte.server.index.IndexRebuilder rebuilder = push(
                b,
                new io.frostbyte.server.index.IndexRebuilder(
                        b.generationStore,
                        b.generations,
                        b.profiles,
                        b.index,
                        new io.frostbyte.postgres.PostgresIndexedChunks(b.tenantDatabases),
                        b.registry,
                        b.lifecycle::find,
                        b.auditLog,
                        database.database(),
                        clock,
                        new io.frostbyte.server.index.IndexRebuilder.Settings(
                                config.effective().integer("embedding.batch_size"),
                                3,
                                Duration.ofMinutes(5),
                                b.generations.ttl().plusMillis(500))));
        served.addAll(ApiRoutes.indexRoutes(new io.frostbyte.server.api.IndexAdminController(
                rebuilder, b.generations, b.generationStore, b.lifecycle::find)));
        routes.set(List.copyOf(served));
        if (config.server().metricsBind().isPresent()) {
            try {
                push(b, MetricsListener.start(config.server().metricsBind().get(), metrics));
            } catch (IOException e) {
                throw new FrostbyteException(
                        ErrorCode.CONFIG_INVALID,
                        "metrics.bind cannot be bound: "
                                + config.server().metricsBind().get());
            }
        }
        b.routes = routes.get();
        RateLimiter rateLimiter = config.sharedRateLimits()
                ? RateLimiter.shared(Bucket4jPostgreSQL.selectForUpdateBasedBuilder(
                                database.database().dataSource())
                        .primaryKeyMapper(PrimaryKeyMapper.STRING)
                        .table("rate_limit_buckets")
                        .build())
                : RateLimiter.inMemory();
        ApiServer server = new ApiServer(
                routes.get(),
                new Authenticator(b.tokens, cache),
                rateLimiter,
                metrics,
                config.server().allowPlaintext(),
                b.usage::nearlyFull);
        push(b, server.start(config.server().bind(), config.server().port()));
        return server;
    }

    private static String workerId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    private static CheckResult malwareCheck(MalwareScanner scanner, boolean required) {
        long started = System.nanoTime();
        if (scanner.ping()) {
            return CheckResult.up((System.nanoTime() - started) / 1_000_000, "clamd");
        }
        return required
                ? CheckResult.down("clamd does not answer PING")
                : CheckResult.skipped("clamd does not answer; files are stored WITHOUT a malware scan");
    }

    /** A two-connection copy of the application pool's settings, for the tenant-state refresher. */
    private static com.zaxxer.hikari.HikariDataSource statePool(javax.sql.DataSource appPool) {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        ((com.zaxxer.hikari.HikariDataSource) appPool).copyStateTo(config);
        config.setPoolName("frostbyte-tenant-state");
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(2_000);
        return new com.zaxxer.hikari.HikariDataSource(config);
    }

    /** The answerer of {@code generation.answerer}: extractive (no model) or an OpenAI-compatible chat endpoint. */
    static io.frostbyte.core.answer.AnswerModel answerer(FrostbyteConfig config) {
        if (!config.effective().string("generation.answerer").equals("openai")) {
            return new io.frostbyte.core.answer.ExtractiveAnswerer();
        }
        String endpoint = config.effective()
                .optionalString("generation.endpoint")
                .orElseThrow(() -> new FrostbyteException(
                        ErrorCode.CONFIG_INVALID,
                        "generation.endpoint is required when generation.answerer is openai"));
        String model = config.effective()
                .optionalString("generation.model")
                .orElseThrow(() -> new FrostbyteException(
                        ErrorCode.CONFIG_INVALID, "generation.model is required when generation.answerer is openai"));
        return new io.frostbyte.embed.openai.OpenAiAnswerModel(io.frostbyte.embed.openai.OpenAiChatConfig.defaults(
                URI.create(endpoint), config.effective().optionalString("generation.api_key"), model));
    }

    /**
     * The vector index of {@code index.kind}: Lucene under the data dir, or the Qdrant server at {@code
     * index.qdrant.url} (its gRPC port, with {@code index.qdrant.api_key} when set), shared by every node.
     */
    private static io.frostbyte.core.index.VectorIndex vectorIndex(Builder b, FrostbyteConfig config) {
        if (config.effective().string("index.kind").equals("qdrant")) {
            io.qdrant.client.QdrantClient client = push(
                    b,
                    io.frostbyte.index.qdrant.QdrantVectorIndex.client(
                            URI.create(config.effective().string("index.qdrant.url")),
                            config.effective().optionalString("index.qdrant.api_key")));
            return new io.frostbyte.index.qdrant.QdrantVectorIndex(client, QDRANT_CALL_TIMEOUT);
        }
        return push(b, new io.frostbyte.index.lucene.LuceneVectorIndex(config.dataDir()));
    }

    /**
     * The limits of one parse from the {@code parse.*} settings (spec/02 §2.1); the raw file's size cap is {@code
     * malware.stream_max_mb}, which caps every tenant's {@code max_file_size_mb}. On the defaults they are {@link
     * io.frostbyte.core.document.ParseLimits#defaults()}, so lineage's {@code parse_config_sha256} is the same.
     */
    static io.frostbyte.core.document.ParseLimits parseLimits(io.frostbyte.server.config.EffectiveConfig config) {
        return new io.frostbyte.core.document.ParseLimits(
                config.integer("malware.stream_max_mb") * 1024L * 1024L,
                config.integer("parse.max_pages"),
                config.integer("parse.max_characters"),
                config.integer("parse.max_embedded_documents"),
                config.integer("parse.max_nesting_depth"),
                config.integer("parse.max_table_cells"),
                Duration.ofSeconds(config.integer("parse.timeout_seconds")),
                config.integer("parse.max_expansion_ratio"));
    }

    /** What a generated answer may be: at most {@code generation.max_tokens} tokens from the answerer. */
    static io.frostbyte.core.answer.AnswerSettings answerSettings(io.frostbyte.server.config.EffectiveConfig config) {
        return new io.frostbyte.core.answer.AnswerSettings(
                config.integer("generation.max_tokens"),
                io.frostbyte.core.answer.AnswerSettings.DEFAULTS.maxSentences());
    }

    /** The document parser with the {@code ocr.*} settings: Tesseract at {@code ocr.tesseract_path}, else on PATH. */
    static io.frostbyte.parser.TikaDocumentParser parser(io.frostbyte.server.config.EffectiveConfig config) {
        io.frostbyte.parser.OcrSettings ocr = new io.frostbyte.parser.OcrSettings(
                config.bool("ocr.enabled"),
                config.string("ocr.languages"),
                config.integer("ocr.dpi"),
                config.decimal("ocr.low_confidence_threshold"),
                Duration.ofSeconds(config.integer("ocr.page_timeout_seconds")));
        Optional<java.nio.file.Path> tesseract = config.optionalPath("ocr.tesseract_path");
        return tesseract.isPresent() && ocr.enabled()
                ? new io.frostbyte.parser.TikaDocumentParser(
                        Optional.of(new io.frostbyte.parser.TesseractOcr(tesseract.get(), ocr.languages())), ocr)
                : new io.frostbyte.parser.TikaDocumentParser(ocr);
    }

    /** clamd at {@code malware.clamd_socket}, or {@code malware.clamd_host}:{@code malware.clamd_port}. */
    static ClamdMalwareScanner malwareScanner(FrostbyteConfig config) {
        ClamdEndpoint endpoint = config.effective()
                .optionalPath("malware.clamd_socket")
                .map(ClamdEndpoint::unix)
                .orElseGet(() -> ClamdEndpoint.tcp(
                        config.effective().string("malware.clamd_host"),
                        config.effective().integer("malware.clamd_port")));
        return new ClamdMalwareScanner(
                endpoint,
                Duration.ofSeconds(2),
                Duration.ofSeconds(config.effective().integer("malware.timeout_seconds")),
                config.effective().integer("malware.stream_max_mb") * 1024L * 1024L);
    }

    /** The object store of this deployment: the filesystem under the data dir, or S3-compatible storage. */
    static ObjectStore objectStore(FrostbyteConfig config, EnvelopeCipher cipher) {
        if (config.effective().string("objectstore.kind").equals("s3")) {
            return new S3ObjectStore(
                    S3ObjectStore.client(
                            URI.create(config.effective().string("objectstore.s3.endpoint")),
                            config.effective().string("objectstore.s3.region"),
                            config.effective()
                                    .optionalString("objectstore.s3.access_key")
                                    .orElse(""),
                            config.effective()
                                    .optionalString("objectstore.s3.secret_key")
                                    .orElse("")),
                    cipher);
        }
        return new FilesystemObjectStore(config.dataDir(), cipher);
    }

    private static List<String> readinessProblems(
            DatabaseRuntime database, TenantStateCache cache, Optional<WorkerPool> workers, FrostbyteConfig config) {
        List<String> problems = new ArrayList<>();
        try {
            database.database().ping();
        } catch (RuntimeException e) {
            problems.add("postgres unreachable");
        }
        if (config.server().role().runsApi() && !cache.fresh()) {
            problems.add("tenant state cache older than 1 s");
        }
        if (workers.isPresent() && !workers.get().accepting()) {
            problems.add("worker pool not running");
        }
        return problems;
    }

    private static CheckResult objectStoreCheck(Path dataDir) throws IOException {
        long started = System.nanoTime();
        Path probe = Files.createTempFile(dataDir, ".health", ".tmp");
        Files.delete(probe);
        return CheckResult.up((System.nanoTime() - started) / 1_000_000, "filesystem");
    }

    private interface CheckBody {
        CheckResult run() throws Exception;
    }

    private static HealthCheck check(String name, boolean critical, CheckBody body) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean critical() {
                return critical;
            }

            @Override
            public CheckResult check() throws Exception {
                return body.run();
            }
        };
    }

    /** The token service of this deployment (EdDSA key file or HS256 secret). */
    public static TokenService tokenService(FrostbyteConfig config, Clock clock) {
        if (config.auth().algorithm().equals("HS256")) {
            return TokenService.hs256(
                    config.auth().issuer(), config.auth().jwtSecret().orElseThrow(), clock);
        }
        SigningKey jwtKey = SigningKey.loadOrCreate(config.auth().jwtKeyFile());
        try {
            OctetKeyPair key = OctetKeyPair.parse(Files.readString(config.auth().jwtKeyFile(), StandardCharsets.UTF_8));
            return TokenService.ed25519(config.auth().issuer(), key, jwtKey.keyId(), clock);
        } catch (IOException | ParseException e) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID,
                    "auth.jwt_key_file is unreadable: " + config.auth().jwtKeyFile());
        }
    }

    private static boolean writeAdminTokenIfMissing(Path file, TokenService tokens, PostgresTenantRegistry registry) {
        if (Files.exists(file)) {
            return false;
        }
        long epoch = registry.find(TenantId.PLATFORM).orElseThrow().keyEpoch();
        IssuedToken token = tokens.issue(
                "bootstrap-admin",
                TenantId.PLATFORM,
                Role.ADMIN,
                EnumSet.allOf(Scope.class),
                TokenService.MAX_TTL,
                epoch);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            SecretFiles.write(file, (token.token() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "auth.admin_token_file cannot be written: " + file);
        }
        LOG.info("platform admin token written: jti={}", token.jti());
        return true;
    }

    private static void prepareDataDir(Path dataDir) {
        try {
            if (!Files.exists(dataDir)) {
                Files.createDirectories(
                        dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "data_dir cannot be created: " + dataDir);
        }
    }

    private static <T extends AutoCloseable> T push(Builder b, T closeable) {
        b.closeables.push(closeable);
        return closeable;
    }

    private static void closeAll(Deque<AutoCloseable> closeables) {
        while (!closeables.isEmpty()) {
            AutoCloseable next = closeables.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn(
                        "stopping {} failed: {}",
                        next.getClass().getSimpleName(),
                        e.getClass().getName());
            }
        }
    }

    public FrostbyteConfig config() {
        return config;
    }

    /** The API's base URL, when this node runs the API. */
    public Optional<URI> url() {
        return api.map(
                server -> URI.create("http://" + hostForUrl(config.server().bind()) + ":" + server.port()));
    }

    private static String hostForUrl(String bind) {
        return bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
    }

    public Path adminTokenFile() {
        return adminTokenFile;
    }

    public boolean adminTokenCreated() {
        return adminTokenCreated;
    }

    public TokenService tokens() {
        return tokens;
    }

    public PostgresTenantRegistry registry() {
        return registry;
    }

    /** The scheduled audit verification and checkpoint ages (spec/09 §9.2–9.3). */
    public io.frostbyte.server.metrics.AuditWatch auditWatch() {
        return auditWatch;
    }

    /** The tenants' storage measurements (spec/09 §9.2, spec/07 §7.8). */
    public io.frostbyte.server.metrics.TenantUsageMeter usageMeter() {
        return usage;
    }

    public TenantStateCache tenantCache() {
        return tenantCache;
    }

    /** This node's vector index (for operations and tests). */
    /** The tenants' object store (envelope-encrypted). */
    public ObjectStore objects() {
        return objects;
    }

    /** The tenant databases' connection pools. */
    public TenantDatabases tenantDatabases() {
        return tenantDatabases;
    }

    /** Each tenant's current index generation and its embedding model. */
    public io.frostbyte.server.index.IndexGenerations indexGenerations() {
        return generations;
    }

    public io.frostbyte.core.index.VectorIndex vectorIndex() {
        return index;
    }

    public TenantKeyring keyring() {
        return keyring;
    }

    public PostgresJobQueue jobs() {
        return jobs;
    }

    /** The routes this node serves (empty when it runs no API). */
    public List<Route> routes() {
        return routes;
    }

    public PostgresAuditLog auditLog() {
        return auditLog;
    }

    public PostgresTenantLifecycle lifecycle() {
        return lifecycle;
    }

    public AuditVerifier auditVerifier() {
        return auditVerifier;
    }

    public AuditCheckpointer checkpointer() {
        return checkpointer;
    }

    public DatabaseRuntime database() {
        return database;
    }

    @Override
    public void close() {
        closeAll(closeables);
    }

    /** How long a graceful stop waits for running jobs. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
}
