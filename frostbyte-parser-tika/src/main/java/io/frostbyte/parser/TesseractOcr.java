package io.frostbyte.parser;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The Tesseract command line as an OCR engine (spec/02 §2.4): one image file in, its lines and the mean word
 * confidence out, read from Tesseract's TSV output. Runs as a child process with one thread ({@code
 * OMP_THREAD_LIMIT=1}, which also keeps results deterministic), killed when it exceeds its time. Thread-safe.
 */
public final class TesseractOcr {
    private static final Pattern LANGUAGES = Pattern.compile("[a-z_]{3,8}(\\+[a-z_]{3,8})*");
    private static final long MAX_OUTPUT_BYTES = 64L * 1024 * 1024;

    private final Path executable;
    private final String languages;
    private final String version;

    /**
     * @param executable the {@code tesseract} binary ({@code ocr.tesseract_path})
     * @param languages {@code ocr.languages}, e.g. {@code eng} or {@code eng+deu}
     */
    public TesseractOcr(Path executable, String languages) {
        this.executable = requireNonNull(executable, "executable is null");
        this.languages = requireNonNull(languages, "languages is null");
        if (!LANGUAGES.matcher(languages).matches()) {
            throw new IllegalArgumentException("ocr.languages must look like eng or eng+deu: " + languages);
        }
        this.version = probeVersion(executable);
    }

    /** Tesseract found on the {@code PATH} with English, or empty when it is not installed. */
    public static Optional<TesseractOcr> onPath() {
        return onPath("eng");
    }

    /** Tesseract found on the {@code PATH} with these {@code ocr.languages}, or empty when it is not installed. */
    public static Optional<TesseractOcr> onPath(String languages) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            Path candidate = Path.of(directory, "tesseract");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                try {
                    return Optional.of(new TesseractOcr(candidate, languages));
                } catch (IllegalStateException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** {@code tesseract 5.3.0}: what {@code lineage.ocr_engine} records. */
    public String engine() {
        return "tesseract " + version;
    }

    /** One recognized line of text. */
    record Line(int block, int paragraph, String text) {}

    /** What Tesseract read from one image: lines in reading order and the mean word confidence in [0, 1]. */
    record Result(List<Line> lines, double confidence) {}

    /** Thrown when Tesseract fails or runs past its time; the message is content-free. */
    static final class OcrException extends Exception {
        private static final long serialVersionUID = 1L;

        OcrException(String message) {
            super(message);
        }
    }

    /** Recognizes one image file (PNG or a single-frame TIFF); the TSV goes to a file next to it. */
    Result recognize(Path image, Duration timeout) throws OcrException, InterruptedException {
        Path tsv = image.resolveSibling(image.getFileName() + ".tsv");
        ProcessBuilder builder = new ProcessBuilder(
                executable.toString(), image.toString(), "stdout", "-l", languages, "--psm", "3", "tsv");
        builder.environment().put("OMP_THREAD_LIMIT", "1");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.redirectOutput(tsv.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new OcrException("tesseract could not be started");
        }
        try {
            if (!process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                throw new OcrException("tesseract exceeded its time");
            }
            if (process.exitValue() != 0) {
                throw new OcrException("tesseract failed with exit code " + process.exitValue());
            }
            if (Files.size(tsv) > MAX_OUTPUT_BYTES) {
                throw new OcrException("tesseract's output exceeds " + MAX_OUTPUT_BYTES + " bytes");
            }
            return parseTsv(Files.readString(tsv, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OcrException("reading tesseract's output failed");
        } finally {
            process.destroyForcibly();
            try {
                Files.deleteIfExists(tsv);
            } catch (IOException e) {
                // a leftover file in the parse's own temporary directory, removed with it
            }
        }
    }

    /** Words (TSV level 5) grouped into lines; confidence = mean word confidence / 100 (0 when no word was read). */
    static Result parseTsv(String tsv) {
        List<Line> lines = new ArrayList<>();
        String currentKey = null;
        StringBuilder current = new StringBuilder();
        int block = 0;
        int paragraph = 0;
        double confidenceSum = 0;
        int words = 0;
        for (String row : tsv.split("\n")) {
            String[] columns = row.split("\t", -1);
            if (columns.length < 12 || !columns[0].equals("5")) {
                continue;
            }
            String word = columns[11].strip();
            double confidence;
            try {
                confidence = Double.parseDouble(columns[10]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (word.isEmpty() || confidence < 0) {
                continue;
            }
            confidenceSum += Math.min(confidence, 100);
            words++;
            String key = columns[1] + "/" + columns[2] + "/" + columns[3] + "/" + columns[4];
            if (!key.equals(currentKey)) {
                if (!current.isEmpty()) {
                    lines.add(new Line(block, paragraph, current.toString()));
                }
                current.setLength(0);
                currentKey = key;
                block = Integer.parseInt(columns[1]) * 10_000 + Integer.parseInt(columns[2]);
                paragraph = Integer.parseInt(columns[3]);
            } else {
                current.append(' ');
            }
            current.append(word);
        }
        if (!current.isEmpty()) {
            lines.add(new Line(block, paragraph, current.toString()));
        }
        return new Result(List.copyOf(lines), words == 0 ? 0 : confidenceSum / words / 100.0);
    }

    private static String probeVersion(Path executable) {
        try {
            Process process = new ProcessBuilder(executable.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = BoundedBytes.readAtMost(in, 64 * 1024);
            }
            if (!process.waitFor(10, TimeUnit.SECONDS) || output == null) {
                process.destroyForcibly();
                throw new IllegalStateException("tesseract --version did not answer");
            }
            String first = new String(output, StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("");
            if (!first.startsWith("tesseract ")) {
                throw new IllegalStateException("not a tesseract binary: " + executable);
            }
            return first.substring("tesseract ".length()).strip();
        } catch (IOException e) {
            throw new IllegalStateException("tesseract could not be started: " + executable, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing tesseract", e);
        }
    }
}
