package io.frostbyte.server.cli;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.CanonicalDocumentJson;
import io.frostbyte.core.document.CanonicalDocumentMarkdown;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import io.frostbyte.parser.TikaDocumentParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code frostbyte parse FILE... [--json|--md] [--out DIR]}: shows what Frostbyte extracts from files without a
 * server. One file prints its canonical JSON (or Markdown); several files or directories need {@code --out DIR}, which
 * receives {@code <file name>.json} (or {@code .md}) for each, all parsed in this JVM by one parser. A file that fails
 * is reported on stderr with its code; exit 0 when all parsed, 1 when any failed, 2 on usage errors.
 */
@Command(
        name = "parse",
        mixinStandardHelpOptions = true,
        description = "Parse files into the canonical document (JSON) or Markdown, without a server.")
public final class ParseCommand implements Callable<Integer> {
    private static final int MAX_FILES = 100_000;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files or directories (walked, sorted).")
    List<Path> inputs = new ArrayList<>();

    @CommandLine.ArgGroup(exclusive = true)
    Format format = new Format();

    @Option(names = "--out", paramLabel = "DIR", description = "Write <file name>.json (or .md) for each file here.")
    Path out;

    @Option(
            names = "--tenant",
            defaultValue = "local",
            description = "Tenant id that, with the bytes, makes the doc id (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(
            names = "--timeout-seconds",
            defaultValue = "300",
            description = "parse.timeout_seconds for each file (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code --json} (the default) or {@code --md}. */
    static final class Format {
        @Option(names = "--json", description = "Print canonical JSON (default).")
        boolean json;

        @Option(names = "--md", description = "Print Markdown.")
        boolean markdown;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (!TenantId.isValid(tenant)) {
            stderr.println("frostbyte parse: invalid --tenant '" + tenant + "'");
            return 2;
        }
        if (timeoutSeconds < 1) {
            stderr.println("frostbyte parse: --timeout-seconds must be >= 1");
            return 2;
        }
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile).sorted().limit(MAX_FILES).forEach(files::add);
                }
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                stderr.println("frostbyte parse: no such file: " + input);
                return 2;
            }
        }
        if (out == null && (files.size() != 1 || Files.isDirectory(inputs.getFirst()))) {
            stderr.println("frostbyte parse: several files or a directory need --out DIR");
            return 2;
        }
        if (out != null) {
            Files.createDirectories(out);
        }
        TikaDocumentParser parser = new TikaDocumentParser();
        ParseLimits limits = ParseLimits.defaults().withTimeout(java.time.Duration.ofSeconds(timeoutSeconds));
        TenantId tenantId = TenantId.of(tenant);
        int failed = 0;
        for (Path file : files) {
            ParseOutcome outcome;
            try (InputStream content = Files.newInputStream(file)) {
                outcome = parser.parse(tenantId, content, declaredType(file), limits);
            }
            switch (outcome) {
                case ParseOutcome.Parsed parsed -> {
                    String rendered = render(parsed.document());
                    if (out == null) {
                        stdout.print(rendered);
                        stdout.println();
                    } else {
                        String suffix = format.markdown ? ".md" : ".json";
                        Files.writeString(out.resolve(file.getFileName() + suffix), rendered, StandardCharsets.UTF_8);
                    }
                }
                case ParseOutcome.Failed failure -> {
                    failed++;
                    stderr.println(file + ": " + failure.code() + " " + failure.message());
                }
            }
        }
        stdout.flush();
        stderr.flush();
        return failed == 0 ? 0 : 1;
    }

    private String render(CanonicalDocument document) {
        return format.markdown ? CanonicalDocumentMarkdown.write(document) : CanonicalDocumentJson.write(document);
    }

    /** The type intake would declare from the name, for the text formats that content detection cannot tell apart. */
    static String declaredType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".md") || name.endsWith(".markdown")) {
            return "text/markdown";
        }
        if (name.endsWith(".csv")) {
            return "text/csv";
        }
        if (name.endsWith(".tsv")) {
            return "text/tab-separated-values";
        }
        return null;
    }
}
