package io.frostbyte.index.qdrant;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qdrant.client.QdrantClient;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QdrantClientUrlTest {
    @Test
    void a_url_that_is_not_http_or_https_with_a_host_is_refused() {
        for (String url : List.of("ftp://qdrant.example:6334", "qdrant.example:6334", "http:///collections", "/x")) {
            assertThatThrownBy(() -> QdrantVectorIndex.client(URI.create(url), Optional.empty()))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("http://host[:port]");
        }
    }

    @Test
    void http_and_https_urls_with_or_without_a_port_and_key_give_a_client_without_connecting() {
        for (String url : List.of("http://127.0.0.1:1", "https://qdrant.example", "HTTP://qdrant.example:6334")) {
            try (QdrantClient client = QdrantVectorIndex.client(URI.create(url), Optional.of("key"))) {
                org.assertj.core.api.Assertions.assertThat(client).as(url).isNotNull();
            }
        }
    }
}
