package io.frostbyte.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./frostbyte bench <suite> [--json]}: runs named suites and prints each figure next to its baseline. */
@Command(name = "frostbyte bench", mixinStandardHelpOptions = true, description = "Run benchmark suites.")
public final class BenchMain implements Callable<Integer> {
    static final Map<String, BenchSuite> SUITES = new LinkedHashMap<>();

    static {
        register(new JobQueueSuite());
        register(new AuditSuite());
        register(new IntakeSuite());
        register(new PolicySuite());
        register(new EmbedSuite());
        register(new RetrievalSuite());
        register(new PipelineRetrievalSuite());
        register(new SearchLatencySuite());
        register(new E2eSuite());
        register(new io.frostbyte.bench.parse.ParseSuite());
    }

    private static void register(BenchSuite suite) {
        SUITES.put(suite.name(), suite);
    }

    @Parameters(
            arity = "0..*",
            paramLabel = "SUITE",
            description = "Suites to run (default: all). Known: ${COMPLETION-CANDIDATES}",
            completionCandidates = SuiteNames.class)
    List<String> suites = new ArrayList<>();

    @Option(names = "--json", description = "Print only one JSON line per figure.")
    boolean json;

    @Option(
            names = "--scale",
            defaultValue = "1",
            description = "Multiply each suite's work size (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--list", description = "List the suites and exit.")
    boolean list;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (list) {
            SUITES.values().forEach(s -> out.println(s.name() + "\t" + s.description()));
            return 0;
        }
        List<String> names = suites.isEmpty() ? List.copyOf(SUITES.keySet()) : suites;
        for (String name : names) {
            if (!SUITES.containsKey(name)) {
                System.err.println("unknown suite '" + name + "'; known: " + SUITES.keySet());
                return 2;
            }
        }
        Path work = Files.createTempDirectory("frostbyte-bench");
        List<Figure> figures = new ArrayList<>();
        try {
            for (String name : names) {
                figures.addAll(SUITES.get(name).run(new BenchOptions(scale, work.resolve(name))));
            }
        } finally {
            deleteRecursively(work);
        }
        ObjectMapper mapper = new ObjectMapper();
        if (!json) {
            out.println(table(figures));
        }
        for (Figure figure : figures) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("suite", figure.suite());
            line.put("figure", figure.name());
            line.put("unit", figure.unit());
            line.put("value", round(figure.value()));
            line.put("baseline", figure.baseline());
            line.put("baseline_value", round(figure.baselineValue()));
            line.put("ratio", round(figure.ratio()));
            line.put("higher_is_better", figure.higherIsBetter());
            out.println(mapper.writeValueAsString(line));
        }
        return 0;
    }

    static String table(List<Figure> figures) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%-10s %-28s %14s %-10s %-34s %14s %8s%n",
                "suite",
                "figure",
                "value",
                "unit",
                "baseline (same run)",
                "baseline",
                "ratio"));
        for (Figure f : figures) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-10s %-28s %14.1f %-10s %-34s %14.1f %8.3f%n",
                    f.suite(),
                    f.name(),
                    f.value(),
                    f.unit(),
                    f.baseline(),
                    f.baselineValue(),
                    f.ratio()));
        }
        return out.toString();
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000.0) / 1000.0 : value;
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Suite names for the help text. */
    static final class SuiteNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        SuiteNames() {
            super(SUITES.keySet());
        }
    }
}
