package io.frostbyte.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.crypto.EnvelopeCipher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The contract against a real s3proxy process (filesystem backend), started once for the class. */
class S3ObjectStoreIT extends ObjectStoreContract {
    private static S3ProxyProcess s3proxy;
    private static S3Client client;

    @BeforeAll
    static void startS3proxy() throws Exception {
        s3proxy = S3ProxyProcess.start();
        client = S3ObjectStore.client(
                s3proxy.endpoint(), "us-east-1", S3ProxyProcess.IDENTITY, S3ProxyProcess.CREDENTIAL);
    }

    @AfterAll
    static void stopS3proxy() {
        if (client != null) {
            client.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    @Override
    protected ObjectStore createStore(EnvelopeCipher cipher) {
        return new S3ObjectStore(client, cipher);
    }

    @Override
    protected byte[] storedBytes(TenantId tenantId, ObjectKey key) {
        return client.getObjectAsBytes(
                        b -> b.bucket(S3ObjectStore.bucket(tenantId)).key(key.value()))
                .asByteArray();
    }

    @Override
    protected void plantStoredBytes(TenantId tenantId, ObjectKey key, byte[] bytes) {
        client.putObject(b -> b.bucket(S3ObjectStore.bucket(tenantId)).key(key.value()), RequestBody.fromBytes(bytes));
    }

    @Test
    void each_tenant_gets_its_own_bucket_and_objects_land_there_encrypted() throws IOException {
        put(ACME, RAW_PDF, read(PDF));

        assertThat(client.listBuckets().buckets()).extracting(b -> b.name()).contains("fb-acme-corp", "fb-globex");
        assertThat(client.listObjectsV2(b -> b.bucket("fb-acme-corp")).contents())
                .extracting(o -> o.key())
                .containsExactly(RAW_PDF.value());
        Path onDisk = s3proxy.baseDirectory().resolve("fb-acme-corp").resolve(RAW_PDF.value());
        assertThat(indexOf(Files.readAllBytes(onDisk), java.util.Arrays.copyOf(read(PDF), 32)))
                .isEqualTo(-1);
        assertThat(store.namespaceName(ACME)).isEqualTo("fb-acme-corp");
    }

    @Test
    void an_unreachable_server_is_reported_as_retriable() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (S3Client dead = S3ObjectStore.client(
                URI.create("http://127.0.0.1:" + port),
                "us-east-1",
                S3ProxyProcess.IDENTITY,
                S3ProxyProcess.CREDENTIAL)) {
            S3ObjectStore unreachable = new S3ObjectStore(dead, new EnvelopeCipher(keyring));

            assertCode(() -> unreachable.namespaceExists(ACME), io.frostbyte.core.ErrorCode.SERVICE_UNAVAILABLE);
        }
    }
}
