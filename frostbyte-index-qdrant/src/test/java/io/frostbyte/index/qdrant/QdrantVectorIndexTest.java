package io.frostbyte.index.qdrant;

import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.index.VectorIndexContract;
import io.qdrant.client.QdrantClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The contract against a real Qdrant. Runs only when {@code FROSTBYTE_TEST_QDRANT_URL} names one's gRPC port, e.g.
 * {@code http://127.0.0.1:6334}; no Qdrant server can be installed on the build machines, so it is skipped there.
 */
@EnabledIfEnvironmentVariable(named = "FROSTBYTE_TEST_QDRANT_URL", matches = ".+")
class QdrantVectorIndexTest extends VectorIndexContract {
    private static QdrantClient client;
    private static QdrantVectorIndex index;

    @BeforeAll
    static void connect() {
        client = QdrantVectorIndex.client(URI.create(System.getenv("FROSTBYTE_TEST_QDRANT_URL")), Optional.empty());
        index = new QdrantVectorIndex(client, Duration.ofSeconds(30));
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    protected VectorIndex index() {
        return index;
    }
}
