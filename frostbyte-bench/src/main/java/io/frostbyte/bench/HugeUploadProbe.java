package io.frostbyte.bench;

import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.Stage;
import io.frostbyte.server.FrostbyteNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The large upload of the {@code intake} suite, in a JVM of its own that the suite starts with a small {@code -Xmx}:
 * starts a node on embedded defaults, uploads one generated file of the given size and prints {@link #RESULT} with the
 * time taken once the node has answered 202. Parse jobs are held back (their handler fails them, so they wait for a
 * retry that the probe's node does not live to run): only intake runs in that heap. Parsing a 500 MB document is the
 * parse stage's own budget, not the upload's.
 *
 * <p>Arguments: the node's data directory and the file's size in bytes.
 */
public final class HugeUploadProbe {
    /** The line the suite looks for on standard output. */
    static final String RESULT = "huge upload accepted";

    private HugeUploadProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: HugeUploadProbe <data dir> <bytes>");
        }
        Path dataDir = Path.of(args[0]);
        long bytes = Long.parseLong(args[1]);
        try (FrostbyteNode node = BenchNode.start(dataDir, Map.of(Stage.PARSE, HugeUploadProbe::hold))) {
            String token = IntakeSuite.provision(node);
            URI url = IntakeSuite.batchUrl(node);
            long started = System.nanoTime();
            IntakeSuite.upload(
                    HttpClient.newHttpClient(),
                    url,
                    token,
                    "huge-1",
                    List.of(new IntakeSuite.Generated("huge", bytes, 7)));
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.println(String.format(
                    Locale.ROOT,
                    "%s: %d MB in %.1f s with a heap of at most %d MB",
                    RESULT,
                    bytes / (1024 * 1024),
                    seconds,
                    Runtime.getRuntime().maxMemory() / (1024 * 1024)));
            System.out.flush();
        }
    }

    /** Holds a parse job back: it waits for a retry, and the probe's node stops before that. */
    private static void hold(Job job) {
        throw new IllegalStateException("parse jobs are held in the upload probe");
    }
}
