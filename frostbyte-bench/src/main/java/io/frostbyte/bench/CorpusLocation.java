package io.frostbyte.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the shared corpus is: {@code -Dfrostbyte.corpus=<dir>}, else {@code shared/corpus} beside the project (the
 * launcher runs suites from the project root) or beside its parent (a module directory).
 */
public final class CorpusLocation {
    private CorpusLocation() {}

    public static Path root() {
        String configured = System.getProperty("frostbyte.corpus");
        List<Path> candidates = configured != null
                ? List.of(Path.of(configured))
                : List.of(Path.of("../shared/corpus"), Path.of("../../shared/corpus"));
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("corpus not found; pass -Dfrostbyte.corpus=<path to shared/corpus>");
    }
}
