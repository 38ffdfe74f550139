package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Classification rules {@value #VERSION} (spec/03 §3.5 step 1): filename tokens and leading phrases.
 *
 * <ul>
 *   <li>Filename: the basename split on {@code _ - . space}, whole tokens, case-insensitive (confidence 0.9).
 *   <li>Phrases: whole words, case-insensitive, in the first heading (0.9) or the first 500 characters (0.8);
 *       {@code POLICY} counts in the first heading only; a paragraph starting {@code Dear } is correspondence.
 *   <li>Filename and phrase agreeing: 0.95. Rules naming different labels are inconclusive (no result).
 * </ul>
 *
 * <p>Thread-safe and immutable.
 */
public final class RuleClassifier {
    public static final String VERSION = "rules-1";
    static final int LEADING_CHARS = 500;
    private static final int MAX_FILENAME = 1024;

    private static final Map<String, DocumentClass> FILENAME_TOKENS = Map.ofEntries(
            Map.entry("contract", DocumentClass.CONTRACT),
            Map.entry("agreement", DocumentClass.CONTRACT),
            Map.entry("msa", DocumentClass.CONTRACT),
            Map.entry("nda", DocumentClass.CONTRACT),
            Map.entry("sow", DocumentClass.CONTRACT),
            Map.entry("invoice", DocumentClass.INVOICE),
            Map.entry("sop", DocumentClass.SOP),
            Map.entry("policy", DocumentClass.POLICY),
            Map.entry("letter", DocumentClass.CORRESPONDENCE),
            Map.entry("memo", DocumentClass.CORRESPONDENCE),
            Map.entry("complaint", DocumentClass.LEGAL_FILING),
            Map.entry("motion", DocumentClass.LEGAL_FILING),
            Map.entry("filing", DocumentClass.LEGAL_FILING));

    /** Phrases found anywhere in the leading text (first heading included). */
    private static final Map<DocumentClass, Pattern> PHRASES = Map.of(
            DocumentClass.CONTRACT,
            phrase("agreement|contract|terms\\s+and\\s+conditions|statement\\s+of\\s+work"),
            DocumentClass.INVOICE,
            phrase("invoice|tax\\s+invoice|invoice\\s+number"),
            DocumentClass.SOP,
            phrase("standard\\s+operating\\s+procedure"),
            DocumentClass.CORRESPONDENCE,
            Pattern.compile("(?i)(?<![\\p{L}\\d])memorandum(?![\\p{L}\\d])|(?:^|\\n)Dear\\s"),
            DocumentClass.LEGAL_FILING,
            Pattern.compile("(?i)(?<![\\p{L}\\d])(?:case\\s+no\\.|plaintiffs?|defendants?)(?![\\p{L}\\d])"));

    private static final Pattern POLICY_HEADING = phrase("policy");
    private static final Pattern FILENAME_SEPARATORS = Pattern.compile("[_\\-. ]+");

    /**
     * @param filename the file's name as uploaded (a path is reduced to its basename), or null
     * @param firstHeading the text of the document's first heading, or null
     * @param text the canonical text; only its first 500 characters are read
     * @return the rules' label and confidence, or empty when no rule fires or rules disagree
     */
    public Optional<ClassCandidate> classify(String filename, String firstHeading, String text) {
        requireNonNull(text, "text is null");
        Map<DocumentClass, Double> named = new EnumMap<>(DocumentClass.class);
        DocumentClass fromFilename = filename == null ? null : fromFilename(filename);
        String leading = text.substring(
                0, text.offsetByCodePoints(0, Math.min(LEADING_CHARS, text.codePointCount(0, text.length()))));
        String heading = firstHeading == null ? "" : firstHeading;
        for (Map.Entry<DocumentClass, Pattern> rule : PHRASES.entrySet()) {
            if (rule.getValue().matcher(heading).find()) {
                named.merge(rule.getKey(), 0.9, Math::max);
            } else if (rule.getValue().matcher(leading).find()) {
                named.merge(rule.getKey(), 0.8, Math::max);
            }
        }
        if (POLICY_HEADING.matcher(heading).find()) {
            named.merge(DocumentClass.POLICY, 0.9, Math::max);
        }
        if (fromFilename != null) {
            named.merge(fromFilename, 0.9, (phrase, file) -> 0.95);
        }
        if (named.size() != 1) {
            return Optional.empty();
        }
        Map.Entry<DocumentClass, Double> only = named.entrySet().iterator().next();
        return Optional.of(new ClassCandidate(only.getKey(), only.getValue()));
    }

    private static DocumentClass fromFilename(String filename) {
        String bounded =
                filename.length() > MAX_FILENAME ? filename.substring(filename.length() - MAX_FILENAME) : filename;
        String base = bounded.substring(Math.max(bounded.lastIndexOf('/'), bounded.lastIndexOf('\\')) + 1);
        DocumentClass found = null;
        for (String token : List.of(FILENAME_SEPARATORS.split(base.toLowerCase(Locale.ROOT)))) {
            DocumentClass label = FILENAME_TOKENS.get(token);
            if (label != null) {
                if (found != null && found != label) {
                    return null;
                }
                found = label;
            }
        }
        return found;
    }

    private static Pattern phrase(String alternatives) {
        return Pattern.compile("(?i)(?<![\\p{L}\\d])(?:" + alternatives + ")(?![\\p{L}\\d])");
    }
}
