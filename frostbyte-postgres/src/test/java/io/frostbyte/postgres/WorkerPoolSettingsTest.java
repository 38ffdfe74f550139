package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerPoolSettingsTest {
    @Test
    void defaults_follow_the_spec() {
        WorkerPool.Settings settings = WorkerPool.Settings.defaults("node-1");

        assertThat(settings.workerId()).isEqualTo("node-1");
        assertThat(settings.threads()).isEqualTo(16);
        assertThat(settings.renewInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rejects_a_pool_without_threads_or_with_a_blank_worker_id() {
        assertThatThrownBy(() -> WorkerPool.Settings.defaults("node-1").withThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads");
        assertThatThrownBy(() -> WorkerPool.Settings.defaults(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workerId");
    }
}
