package io.frostbyte.parser;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How scanned pages and images are recognized (spec/02 §2.4, spec/09 {@code ocr.*}).
 *
 * @param enabled {@code ocr.enabled}: false parses as if no engine were installed (images fail with {@code
 *     OCR_UNAVAILABLE}, image-only PDF pages are dropped as {@code image_without_text})
 * @param languages {@code ocr.languages}, Tesseract language codes joined by '+', e.g. {@code eng} or {@code eng+deu}
 * @param dpi {@code ocr.dpi}, the resolution a PDF page is rendered at before recognition (72 to 1200); very large
 *     pages are rendered lower so that no page exceeds the pixel budget
 * @param minPageConfidence {@code ocr.low_confidence_threshold} (PAR-5): a page recognized with a lower mean word
 *     confidence is listed in {@code stats.low_ocr_confidence_pages}
 * @param pageTimeout {@code ocr.page_timeout_seconds}, the time one page or frame may take in the engine (1 s to 1 h);
 *     the whole parse stays bounded by {@code parse.timeout_seconds}
 */
public record OcrSettings(boolean enabled, String languages, int dpi, double minPageConfidence, Duration pageTimeout) {
    public static final int MIN_DPI = 72;
    public static final int MAX_DPI = 1200;
    private static final Pattern LANGUAGES = Pattern.compile("[a-z_]{3,8}(\\+[a-z_]{3,8})*");
    private static final Duration MAX_PAGE_TIMEOUT = Duration.ofHours(1);

    public OcrSettings {
        requireNonNull(languages, "languages is null");
        requireNonNull(pageTimeout, "pageTimeout is null");
        if (!LANGUAGES.matcher(languages).matches()) {
            throw new IllegalArgumentException("ocr.languages must look like eng or eng+deu: " + languages);
        }
        if (dpi < MIN_DPI || dpi > MAX_DPI) {
            throw new IllegalArgumentException("ocr.dpi must be in [" + MIN_DPI + ", " + MAX_DPI + "]: " + dpi);
        }
        if (!(minPageConfidence >= 0 && minPageConfidence <= 1)) {
            throw new IllegalArgumentException("ocr.low_confidence_threshold must be in [0, 1]: " + minPageConfidence);
        }
        if (pageTimeout.compareTo(Duration.ofSeconds(1)) < 0 || pageTimeout.compareTo(MAX_PAGE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("ocr.page_timeout_seconds must be in [1, 3600]: " + pageTimeout);
        }
    }

    /** Enabled, English, 300 dpi, pages under 0.7 confidence flagged, 120 s per page. */
    public static OcrSettings defaults() {
        return new OcrSettings(true, "eng", 300, 0.7, Duration.ofSeconds(120));
    }

    public OcrSettings withEnabled(boolean value) {
        return new OcrSettings(value, languages, dpi, minPageConfidence, pageTimeout);
    }

    /** The effective {@code ocr.*} settings by key, for {@code lineage.parse_config_sha256}. */
    public SortedMap<String, Object> settings() {
        SortedMap<String, Object> settings = new TreeMap<>();
        settings.put("ocr.enabled", enabled);
        settings.put("ocr.languages", languages);
        settings.put("ocr.dpi", (long) dpi);
        settings.put("ocr.low_confidence_threshold", minPageConfidence);
        settings.put("ocr.page_timeout_seconds", pageTimeout.toSeconds());
        return java.util.Collections.unmodifiableSortedMap(settings);
    }
}
