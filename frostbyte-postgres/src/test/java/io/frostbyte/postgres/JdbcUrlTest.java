package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import org.junit.jupiter.api.Test;

class JdbcUrlTest {
    private static final String URL =
            "jdbc:postgresql://127.0.0.1:5432/frostbyte?user=fb_app&password=p%40ss%26word&sslmode=disable";

    @Test
    void splits_host_database_and_credentials() {
        JdbcUrl url = JdbcUrl.parse(URL);

        assertThat(url.database()).isEqualTo("frostbyte");
        assertThat(url.user()).contains("fb_app");
        assertThat(url.password()).contains("p@ss&word");
        assertThat(url.credentials()).containsEntry("user", "fb_app").containsEntry("password", "p@ss&word");
    }

    @Test
    void never_shows_the_password_outside_url() {
        JdbcUrl url = JdbcUrl.parse(URL);

        assertThat(url.toString())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/frostbyte?user=fb_app&password=***&sslmode=disable");
        assertThat(url.redacted()).doesNotContain("ss%26word").doesNotContain("p@ss");
        assertThat(url.withoutCredentials().url())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/frostbyte?sslmode=disable");
        assertThat(JdbcUrl.parse(url.url())).isEqualTo(url);
    }

    @Test
    void switches_database_and_keeps_parameters() {
        JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://db.internal:5433,db2:5433/postgres?user=postgres");

        assertThat(url.withDatabase("fbt_1").url())
                .isEqualTo("jdbc:postgresql://db.internal:5433,db2:5433/fbt_1?user=postgres");
        assertThat(JdbcUrl.parse("jdbc:postgresql://localhost").database()).isEmpty();
    }

    @Test
    void rejects_urls_of_other_drivers_without_repeating_them() {
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:mysql://h/db?password=hunter2"))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).doesNotContain("hunter2");
                });
    }
}
