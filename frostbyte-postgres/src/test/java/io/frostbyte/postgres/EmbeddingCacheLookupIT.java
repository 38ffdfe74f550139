package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedding cache lookup on a tenant database of 20,000 chunks: it finds the stored vectors through the {@code
 * chunks_embedding_cache} index, so its cost does not grow with the tenant's size.
 */
class EmbeddingCacheLookupIT {
    private static JdbcUrl url;
    private static Connection connection;

    @BeforeAll
    static void tenantDatabaseWithManyChunks() throws SQLException {
        url = PostgresTestSupport.emptyDatabase();
        TenantDatabaseStep.migrate(
                url.withoutCredentials().url(),
                url.user().orElse(null),
                url.password().orElse(null));
        connection = DriverManager.getConnection(
                url.withoutCredentials().url(),
                url.user().orElse(null),
                url.password().orElse(null));
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO documents (doc_id, raw_sha256, batch_id, file_id, receipt_id,"
                    + " original_filename, mime_type, size_bytes, storage_path, kek_version, status, ingested_at,"
                    + " updated_at) VALUES ('doc_a', repeat('a', 64), 'b-1', 'f-1', gen_random_uuid(), 'a.txt',"
                    + " 'text/plain', 1, 'raw/f-1/a', 1, 'indexed', now(), now())");
            statement.execute("INSERT INTO chunks (chunk_id, doc_id, position, page, page_end, start_char, end_char,"
                    + " element_type, text, text_sha256, status, pii_types, pii_action, injection_score,"
                    + " injection_categories, vector, embed_model, embed_version, truncated)"
                    + " SELECT 'chk_' || g, 'doc_a', g, 1, 1, 0, 1500, 'paragraph', repeat('x', 1500),"
                    + " encode(sha256(g::text::bytea), 'hex'), 'active', '', 'none', '0', '',"
                    + " decode(repeat('00', 1536), 'hex'), 'all-minilm-l6-v2', '1', false"
                    + " FROM generate_series(1, 20000) g");
            statement.execute("ANALYZE chunks");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    private static List<String> hashes(int... numbers) throws SQLException {
        List<String> hashes = new ArrayList<>();
        for (int n : numbers) {
            try (PreparedStatement select = connection.prepareStatement("SELECT encode(sha256(?::bytea), 'hex')")) {
                select.setString(1, Integer.toString(n));
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    hashes.add(rows.getString(1));
                }
            }
        }
        return hashes;
    }

    private static PreparedStatement lookup(String sql, List<String> hashes) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setArray(1, Jdbc.textArray(connection, hashes));
        statement.setString(2, "all-minilm-l6-v2");
        statement.setString(3, "1");
        return statement;
    }

    @Test
    void the_lookup_finds_the_stored_vectors_of_exactly_the_given_texts() throws SQLException {
        List<String> wanted = new ArrayList<>(hashes(7, 19_999));
        wanted.add("f".repeat(64)); // never embedded
        Set<String> found = new TreeSet<>();
        try (PreparedStatement statement = lookup(PostgresDocumentStore.CACHE_LOOKUP, wanted);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                found.add(rows.getString(1));
                assertThat(rows.getBytes(2)).hasSize(1536);
            }
        }

        assertThat(found).containsExactlyInAnyOrderElementsOf(hashes(7, 19_999));
    }

    @Test
    void the_lookup_reads_the_cache_index_not_every_chunk_of_the_tenant() throws SQLException {
        // prepared statements switch to a generic plan after five runs: look at the plan well after that
        for (int run = 0; run < 8; run++) {
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement statement = lookup(
                            "EXPLAIN (ANALYZE, BUFFERS) " + PostgresDocumentStore.CACHE_LOOKUP, hashes(1, 2, 3));
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }

            assertThat(plan.toString())
                    .as("run %d", run + 1)
                    .contains("chunks_embedding_cache")
                    .doesNotContain("Seq Scan");
        }
    }
}
