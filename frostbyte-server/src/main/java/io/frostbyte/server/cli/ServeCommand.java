package io.frostbyte.server.cli;

import io.frostbyte.server.FrostbyteNode;
import io.frostbyte.server.config.FrostbyteConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code frostbyte serve}: runs the API, the workers, or both until interrupted. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Start Frostbyte (API and workers) and run until stopped.")
public final class ServeCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--role", paramLabel = "ROLE", description = "api, worker or all (overrides server.role).")
    String role;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (overrides server.port).")
    Integer port;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> overrides = new HashMap<>();
        if (role != null) {
            overrides.put("FROSTBYTE_SERVER__ROLE", role);
        }
        if (port != null) {
            overrides.put("FROSTBYTE_SERVER__PORT", port.toString());
        }
        FrostbyteConfig config = options.load(overrides);
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.toLevel(config.loggingLevel()));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting Frostbyte (" + config.shape().wire() + ", data in " + config.dataDir() + ") ...");
        out.flush();
        FrostbyteNode node = FrostbyteNode.start(config, Clock.systemUTC(), Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            node.close();
                            stopped.countDown();
                        },
                        "frostbyte-shutdown"));
        node.url().ifPresent(url -> out.println("Frostbyte is up at " + url + "  (health: " + url + "/health)"));
        out.println((node.adminTokenCreated() ? "Platform admin token written to " : "Platform admin token file: ")
                + node.adminTokenFile() + " (mode 0600)");
        out.println("Press Ctrl+C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
