package io.frostbyte.objectstore;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.core.storage.ObjectUsage;
import io.frostbyte.core.storage.StoredObject;
import io.frostbyte.crypto.EnvelopeCipher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on an S3-compatible server, path-style: tenant {@code t}'s objects live in bucket {@code fb-<t>}
 * (the platform's in {@code frostbyte-platform}) under their key, each an {@link EnvelopeCipher} envelope bound to
 * tenant and key. A put streams the ciphertext through one part buffer of {@code partBytes}: an object that fits is
 * sent as one {@code PutObject} with its length, a larger one (or one of unknown length) as a multipart upload, aborted
 * when the put fails, so a failed put never replaces the previous object.
 *
 * <p>Thread-safe, like the {@link S3Client} it is given; the caller owns and closes the client.
 */
public final class S3ObjectStore implements ObjectStore {
    /** S3's smallest part (all but the last). */
    public static final int MIN_PART_BYTES = 5 * 1024 * 1024;

    public static final int DEFAULT_PART_BYTES = 8 * 1024 * 1024;

    private static final String PLATFORM_BUCKET = "frostbyte-platform";
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final EnvelopeCipher cipher;
    private final int partBytes;

    public S3ObjectStore(S3Client s3, EnvelopeCipher cipher) {
        this(s3, cipher, DEFAULT_PART_BYTES);
    }

    public S3ObjectStore(S3Client s3, EnvelopeCipher cipher, int partBytes) {
        this.s3 = requireNonNull(s3, "s3 is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("partBytes must be at least " + MIN_PART_BYTES + ": " + partBytes);
        }
        this.partBytes = partBytes;
    }

    /**
     * A path-style client over the JDK's URL connection, for {@link #S3ObjectStore(S3Client, EnvelopeCipher)}.
     * Payload checksums are only sent where S3 requires them: the envelope's AEAD already authenticates every byte.
     */
    public static S3Client client(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .build();
    }

    /** The bucket holding the tenant's objects: {@code fb-<id>}, or {@code frostbyte-platform}. */
    public static String bucket(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return tenantId.isPlatform() ? PLATFORM_BUCKET : "fb-" + tenantId.value();
    }

    @Override
    public StoredObject put(TenantId tenantId, ObjectKey key, InputStream content, long sizeHint) {
        requireNonNull(key, "key is null");
        requireNonNull(content, "content is null");
        PartUploader uploader = new PartUploader(tenantId, key, sizeHint);
        OutputStream encrypting = null;
        boolean done = false;
        try {
            encrypting = cipher.encryptingStream(tenantId, key.value(), uploader);
            StoredObject stored = PlaintextCopy.copy(key, content, encrypting);
            encrypting.close();
            done = true;
            return stored;
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "cannot encrypt object " + key + " of tenant " + tenantId, e);
        } catch (SdkException e) {
            throw failure("write", tenantId, key, e);
        } finally {
            if (!done) {
                uploader.abort();
            }
        }
    }

    @Override
    public InputStream get(TenantId tenantId, ObjectKey key) {
        requireNonNull(key, "key is null");
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket(tenantId)).key(key.value()));
        } catch (SdkException e) {
            throw failure("read", tenantId, key, e);
        }
        try {
            return cipher.decryptingStream(tenantId, key.value(), in);
        } catch (IOException | RuntimeException e) {
            in.abort();
            try {
                in.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof IOException || e instanceof SdkException) {
                throw new FrostbyteException(
                        ErrorCode.SERVICE_UNAVAILABLE, "cannot read object " + key + " of tenant " + tenantId, e);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public boolean exists(TenantId tenantId, ObjectKey key) {
        requireNonNull(key, "key is null");
        try {
            s3.headObject(b -> b.bucket(bucket(tenantId)).key(key.value()));
            return true;
        } catch (SdkException e) {
            if (!isNotFound(e)) {
                throw failure("check", tenantId, key, e);
            }
        }
        requireNamespace(tenantId);
        return false;
    }

    @Override
    public java.time.Instant modifiedAt(TenantId tenantId, ObjectKey key) {
        requireNonNull(key, "key is null");
        try {
            return s3.headObject(b -> b.bucket(bucket(tenantId)).key(key.value()))
                    .lastModified();
        } catch (SdkException e) {
            throw failure("read the time of", tenantId, key, e);
        }
    }

    @Override
    public void delete(TenantId tenantId, ObjectKey key) {
        requireNonNull(key, "key is null");
        requireNamespace(tenantId);
        try {
            s3.deleteObject(b -> b.bucket(bucket(tenantId)).key(key.value()));
        } catch (SdkException e) {
            if (!isNotFound(e)) {
                throw failure("delete", tenantId, key, e);
            }
        }
    }

    @Override
    public List<ObjectKey> list(TenantId tenantId, String prefix) {
        ObjectKey.requireValidPrefix(prefix);
        List<ObjectKey> keys = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(
                            b -> b.bucket(bucket(tenantId)).prefix(prefix))
                    .contents()) {
                if (ObjectKey.isValid(object.key())) {
                    keys.add(ObjectKey.of(object.key()));
                }
            }
        } catch (SdkException e) {
            throw failure("list", tenantId, null, e);
        }
        keys.sort(Comparator.naturalOrder());
        return List.copyOf(keys);
    }

    @Override
    public ObjectUsage usage(TenantId tenantId) {
        long bytes = 0;
        long objects = 0;
        try {
            for (S3Object object :
                    s3.listObjectsV2Paginator(b -> b.bucket(bucket(tenantId))).contents()) {
                if (ObjectKey.isValid(object.key())) {
                    bytes += object.size();
                    objects++;
                }
            }
        } catch (SdkException e) {
            throw failure("measure", tenantId, null, e);
        }
        return new ObjectUsage(bytes, objects);
    }

    @Override
    public void createNamespace(TenantId tenantId) {
        if (namespaceExists(tenantId)) {
            return;
        }
        try {
            s3.createBucket(b -> b.bucket(bucket(tenantId)));
        } catch (BucketAlreadyOwnedByYouException e) {
            // a concurrent attempt created it
        } catch (SdkException e) {
            if (!namespaceExists(tenantId)) {
                throw failure("create the namespace of", tenantId, null, e);
            }
        }
    }

    @Override
    public void deleteNamespace(TenantId tenantId) {
        if (!namespaceExists(tenantId)) {
            return;
        }
        String bucket = bucket(tenantId);
        try {
            abortUploads(bucket);
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (S3Object object :
                    s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                batch.add(ObjectIdentifier.builder().key(object.key()).build());
                if (batch.size() == DELETE_BATCH) {
                    deleteBatch(tenantId, bucket, batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                deleteBatch(tenantId, bucket, batch);
            }
            int remaining = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1))
                    .contents()
                    .size();
            if (remaining > 0) {
                throw new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR,
                        "bucket " + bucket + " of tenant " + tenantId + " is not empty after deleting every object");
            }
            s3.deleteBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            if (!isNotFound(e)) {
                throw failure("delete the namespace of", tenantId, null, e);
            }
        }
    }

    @Override
    public boolean namespaceExists(TenantId tenantId) {
        try {
            s3.headBucket(b -> b.bucket(bucket(tenantId)));
            return true;
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return false;
            }
            throw failure("check the namespace of", tenantId, null, e);
        }
    }

    @Override
    public String namespaceName(TenantId tenantId) {
        return bucket(tenantId);
    }

    private void requireNamespace(TenantId tenantId) {
        if (!namespaceExists(tenantId)) {
            throw new FrostbyteException(
                    ErrorCode.RESOURCE_NOT_FOUND, "tenant " + tenantId + " has no object namespace");
        }
    }

    private void deleteBatch(TenantId tenantId, String bucket, List<ObjectIdentifier> batch) {
        var response = s3.deleteObjects(
                b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            throw new FrostbyteException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "deleting objects of tenant " + tenantId + " failed for "
                            + response.errors().size() + " of them");
        }
    }

    private void abortUploads(String bucket) {
        try {
            for (MultipartUpload upload :
                    s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()) {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
            }
        } catch (S3Exception e) {
            // a server without upload listing (501) has nothing we could abort here
            if (e.statusCode() != 501) {
                throw e;
            }
        }
    }

    private static boolean isNotFound(SdkException e) {
        return e instanceof NoSuchKeyException
                || e instanceof NoSuchBucketException
                || (e instanceof S3Exception s3e && s3e.statusCode() == 404);
    }

    private static FrostbyteException failure(String action, TenantId tenantId, ObjectKey key, SdkException e) {
        String what = key == null ? "objects" : "object " + key.value();
        if (isNotFound(e)) {
            String missing =
                    e instanceof NoSuchKeyException ? "has no " + what : "has no object namespace or no " + what;
            return new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "tenant " + tenantId + " " + missing, e);
        }
        boolean retriable = !(e instanceof S3Exception s3e) || s3e.statusCode() >= 500 || s3e.statusCode() == 429;
        return new FrostbyteException(
                retriable ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_ERROR,
                "cannot " + action + " " + what + " of tenant " + tenantId + " in the object store",
                e);
    }

    /**
     * Receives the ciphertext and sends it: one {@code PutObject} when it all fits the part buffer, else a multipart
     * upload one full buffer at a time. Holds at most one part in memory.
     */
    private final class PartUploader extends OutputStream {
        private final TenantId tenantId;
        private final ObjectKey key;
        private final String bucket;
        private final List<CompletedPart> parts = new ArrayList<>();
        private byte[] buffer;
        private int filled;
        private String uploadId;
        private boolean finished;

        PartUploader(TenantId tenantId, ObjectKey key, long sizeHint) {
            this.tenantId = tenantId;
            this.key = key;
            this.bucket = bucket(tenantId);
            // envelope overhead: a header below 1 KiB and 16 bytes per MiB segment
            long expected = sizeHint < 0 ? partBytes : sizeHint + 1024 + 16 * (sizeHint / (1 << 20) + 1);
            this.buffer = new byte[(int) Math.min(partBytes, Math.max(expected, 4096))];
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            requireOpen();
            while (len > 0) {
                if (filled == buffer.length) {
                    if (buffer.length < partBytes) {
                        buffer = Arrays.copyOf(buffer, (int) Math.min(partBytes, 2L * buffer.length));
                    } else {
                        uploadPart();
                    }
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        /** Completes the upload; the object becomes visible only now. */
        @Override
        public void close() throws IOException {
            if (finished) {
                return;
            }
            finished = true;
            if (uploadId == null) {
                s3.putObject(
                        b -> b.bucket(bucket).key(key.value()).contentLength((long) filled),
                        RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, filled), filled));
            } else {
                if (filled > 0) {
                    uploadPart();
                }
                s3.completeMultipartUpload(b ->
                        b.bucket(bucket).key(key.value()).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            }
            buffer = null;
        }

        /** Drops whatever was sent; the previous object under the key stays. Never throws. */
        void abort() {
            finished = true;
            buffer = null;
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(
                            b -> b.bucket(bucket).key(key.value()).uploadId(uploadId));
                } catch (SdkException e) {
                    // the bucket's lifecycle rule or deleteNamespace removes a dangling upload
                }
            }
        }

        private void uploadPart() {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key.value()))
                        .uploadId();
            }
            int partNumber = parts.size() + 1;
            int length = filled;
            String etag = s3.uploadPart(
                            b -> b.bucket(bucket)
                                    .key(key.value())
                                    .uploadId(uploadId)
                                    .partNumber(partNumber)
                                    .contentLength((long) length),
                            RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, length), length))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            filled = 0;
        }

        private void requireOpen() throws IOException {
            if (finished) {
                throw new IOException("upload of object " + key + " of tenant " + tenantId + " is finished");
            }
        }
    }
}
