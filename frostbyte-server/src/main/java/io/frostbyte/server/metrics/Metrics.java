package io.frostbyte.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The node's meter registry (Micrometer, Prometheus text at {@code /metrics}) with the JVM binders and the
 * {@code frostbyte_*} meters of spec/09 §9.2 that the platform layer records. Thread-safe.
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public Metrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Records one API request under its route template (never the concrete path, which holds ids). */
    public void recordRequest(String routeTemplate, String method, int status, long nanos) {
        Timer.builder("frostbyte.api.request.duration")
                .description("API request duration")
                .tag("route", routeTemplate)
                .tag("method", method)
                .tag("status_code", Integer.toString(status))
                .publishPercentileHistogram(false)
                .serviceLevelObjectives(
                        Duration.ofMillis(5),
                        Duration.ofMillis(25),
                        Duration.ofMillis(100),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(10))
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    public void rateLimitRejected(String area, String tenantId) {
        Counter.builder("frostbyte.api.rate.limit.rejections")
                .description("Requests refused with 429")
                .tag("area", area)
                .tag("tenant_id", tenantId)
                .register(registry)
                .increment();
    }

    /** A node-level gauge such as {@code frostbyte_tenant_cache_age_seconds}. */
    public void gauge(String name, String description, DoubleSupplier value) {
        // strong: Micrometer holds a gauge's state object weakly, and a lambda nobody else keeps is collected (NaN)
        Gauge.builder(name, value, DoubleSupplier::getAsDouble)
                .description(description)
                .strongReference(true)
                .register(registry);
    }

    public void gauge(String name, String description, String tagKey, String tagValue, DoubleSupplier value) {
        Gauge.builder(name, value, DoubleSupplier::getAsDouble)
                .description(description)
                .tag(tagKey, tagValue)
                .strongReference(true)
                .register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
