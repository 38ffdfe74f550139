package io.frostbyte.bench.parse;

import io.frostbyte.bench.BenchOptions;
import io.frostbyte.bench.BenchSuite;
import io.frostbyte.bench.Figure;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import io.frostbyte.parser.TikaDocumentParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.BodyContentHandler;

/**
 * Parse quality and speed on {@code corpus/docling-testdata}: per format, element-type accuracy, heading
 * precision/recall/F1 and level accuracy, table shape exact-match and cell-text F1, text similarity against the
 * ground-truth Markdown, reading-order agreement and furniture kept out of the body (quality figures carry the issue's
 * aim as their baseline); documents per second (pages per second for PDF) against Tika's plain {@link
 * AutoDetectParser} text extraction of the same files in the same run (OCR off for both; rounds alternate between the
 * two and the median round counts). The corpus is found at
 * {@code -Dfrostbyte.corpus} (default {@code ../shared/corpus}); {@code -Dfrostbyte.parse.formats=pdf,docx} limits the
 * formats.
 */
public final class ParseSuite implements BenchSuite {
    private static final TenantId TENANT = TenantId.of("bench-parse");
    private static final List<String> FORMATS = List.of("docx", "html", "xlsx", "csv", "md", "pptx", "email", "pdf");
    private static final Map<String, Double> STRUCTURE_AIM =
            Map.of("docx", 0.85, "html", 0.85, "xlsx", 0.85, "csv", 0.85, "md", 0.85, "pdf", 0.6);
    private static final int MAX_TIKA_CHARACTERS = 20_000_000;

    @Override
    public String name() {
        return "parse";
    }

    @Override
    public String description() {
        return "parse quality vs docling ground truth per format; docs/s and PDF pages/s vs plain Tika";
    }

    @Override
    public List<Figure> run(BenchOptions options) throws Exception {
        Path corpus = io.frostbyte.bench.CorpusLocation.root().resolve("docling-testdata");
        if (!Files.isDirectory(corpus)) {
            throw new IllegalStateException("docling-testdata not found under " + corpus.toAbsolutePath()
                    + "; pass -Dfrostbyte.corpus=<path to shared/corpus>");
        }
        TikaDocumentParser parser = new TikaDocumentParser();
        AutoDetectParser tika = new AutoDetectParser();
        ParseLimits limits = ParseLimits.defaults();
        List<Figure> figures = new ArrayList<>();
        int rounds = options.scaled(3);
        List<String> formats = List.of(System.getProperty("frostbyte.parse.formats", String.join(",", FORMATS))
                .split(","));
        for (String format : formats) {
            List<Path> files = sources(corpus.resolve(format).resolve("sources"));
            if (files.isEmpty()) {
                continue;
            }
            ParseScore score = new ParseScore();
            int failures = 0;
            int pages = 0;
            for (Path file : files) {
                ParseOutcome outcome = parse(parser, file, limits);
                if (!(outcome instanceof ParseOutcome.Parsed parsed)) {
                    failures++;
                    System.err.printf(Locale.ROOT, "parse %-6s %-40s %s%n", format, file.getFileName(), outcome);
                    continue;
                }
                pages += parsed.document().pages().size();
                GroundTruth truth = truth(corpus.resolve(format).resolve("groundtruth"), file);
                if (truth == null) {
                    continue;
                }
                ParseScore one = new ParseScore();
                one.add(parsed.document(), truth);
                score.add(parsed.document(), truth);
                System.err.printf(
                        Locale.ROOT,
                        "parse %-6s %-40s type %.2f heading F1 %.2f level %.2f cells F1 %.2f text %.3f%n",
                        format,
                        file.getFileName(),
                        one.elementTypeAccuracy(),
                        one.headingF1(),
                        one.headingLevelAccuracy(),
                        one.tableCellF1(),
                        one.textSimilarity());
            }
            double aim = STRUCTURE_AIM.getOrDefault(format, 0.0);
            String aimLabel = aim > 0 ? "aim" : "no aim";
            figures.add(quality(format + " element-type accuracy", score.elementTypeAccuracy(), "no aim", 0));
            figures.add(quality(format + " heading precision", score.headingPrecision(), "no aim", 0));
            figures.add(quality(format + " heading recall", score.headingRecall(), "no aim", 0));
            figures.add(quality(format + " heading F1", score.headingF1(), aimLabel, aim));
            figures.add(quality(format + " heading level accuracy", score.headingLevelAccuracy(), "no aim", 0));
            figures.add(quality(format + " table shape exact", score.tableShapeExactMatch(), "no aim", 0));
            figures.add(quality(
                    format + " table cell F1", score.tableCellF1(), format.equals("pdf") ? "no aim" : aimLabel, aim));
            figures.add(quality(
                    format + " text similarity",
                    score.textSimilarity(),
                    format.equals("pdf") ? "aim" : "no aim",
                    format.equals("pdf") ? 0.9 : 0));
            figures.add(quality(format + " reading order", score.readingOrder(), "no aim", 0));
            if (score.expectedFurniture > 0) {
                figures.add(quality(format + " furniture kept out", score.furnitureKeptOut(), "no aim", 0));
            }
            figures.add(quality(format + " files failed", failures, "files", files.size()));
            double[] seconds = timeInterleaved(
                    () -> {
                        for (Path file : files) {
                            parse(parser, file, limits);
                        }
                    },
                    () -> {
                        for (Path file : files) {
                            plainTika(tika, file);
                        }
                    },
                    rounds);
            double ours = seconds[0];
            double plain = seconds[1];
            figures.add(new Figure(
                    "parse",
                    format + " docs/s",
                    "docs/s",
                    files.size() / ours,
                    "Tika AutoDetectParser text",
                    files.size() / plain,
                    true));
            if (format.equals("pdf")) {
                figures.add(new Figure(
                        "parse",
                        "pdf pages/s",
                        "pages/s",
                        pages / ours,
                        "Tika AutoDetectParser text",
                        pages / plain,
                        true));
            }
        }
        return figures;
    }

    private static Figure quality(String name, double value, String baseline, double baselineValue) {
        return new Figure("parse", name, "ratio", value, baseline, baselineValue, true);
    }

    private interface Work {
        void run() throws Exception;
    }

    /**
     * Median seconds per round of each of two works after one warm-up round each, their rounds alternating so that a
     * change in the machine's load (a shared CI box) falls on both sides of the ratio alike.
     */
    private static double[] timeInterleaved(Work ours, Work baseline, int rounds) throws Exception {
        ours.run();
        baseline.run();
        double[] oursSeconds = new double[rounds];
        double[] baselineSeconds = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            ours.run();
            oursSeconds[i] = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            baseline.run();
            baselineSeconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return new double[] {median(oursSeconds), median(baselineSeconds)};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static ParseOutcome parse(TikaDocumentParser parser, Path file, ParseLimits limits) throws IOException {
        return parser.parse(TENANT, new ByteArrayInputStream(Files.readAllBytes(file)), declaredType(file), limits);
    }

    private static void plainTika(AutoDetectParser tika, Path file) {
        try (TikaInputStream stream = TikaInputStream.get(Files.readAllBytes(file))) {
            ParseContext context = new ParseContext();
            TesseractOCRConfig noOcr = new TesseractOCRConfig();
            noOcr.setSkipOcr(true);
            context.set(TesseractOCRConfig.class, noOcr);
            PDFParserConfig pdf = new PDFParserConfig();
            pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
            context.set(PDFParserConfig.class, pdf);
            tika.parse(stream, new BodyContentHandler(MAX_TIKA_CHARACTERS), new Metadata(), context);
        } catch (Exception e) {
            // a file plain Tika cannot read costs what it cost; the comparison stays on the same files
        }
    }

    static String declaredType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".md")) {
            return "text/markdown";
        }
        if (name.endsWith(".csv")) {
            return "text/csv";
        }
        return null;
    }

    private static List<Path> sources(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static GroundTruth truth(Path groundTruth, Path file) throws IOException {
        String name = file.getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        for (String base : List.of(name, stem)) {
            Path json = groundTruth.resolve(base + ".json");
            Path md = groundTruth.resolve(base + ".md");
            if (Files.exists(json) || Files.exists(md)) {
                return GroundTruth.load(json, md);
            }
        }
        return null;
    }
}
