package io.frostbyte.parser;

import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.ParseLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CSV and TSV (spec/02 §2.2): one table. The delimiter is the candidate giving the most consistent field count over the
 * first records; the header row is detected per column the way Python's {@code csv.Sniffer} does (a text cell over
 * numbers, or a length that differs from fixed-length values).
 */
final class CsvReader {
    private static final char[] CANDIDATES = {',', ';', '\t', '|'};
    private static final Pattern NUMBER = Pattern.compile("^[-+]?[$€£]?\\d[\\d,. ]*%?$");

    private CsvReader() {}

    static Extraction read(byte[] bytes, ParseLimits limits) {
        SourceText source = SourceText.decode(bytes);
        Extraction extraction = new Extraction();
        extraction.sourceEncoding = source.encoding();
        String text = source.text();
        char delimiter = delimiter(text);
        List<List<String>> records = records(text, delimiter, Long.MAX_VALUE);
        records.removeIf(record -> record.stream().allMatch(String::isBlank));
        if (records.isEmpty()) {
            return extraction;
        }
        int columns = records.stream().mapToInt(List::size).max().orElse(1);
        long maxRows = Math.max(1, limits.maxTableCells() / columns);
        if (records.size() > maxRows) {
            extraction.drop("table_cell", 1, "limit_exceeded");
            records = new ArrayList<>(records.subList(0, (int) maxRows));
        }
        int headerRows = hasHeader(records) ? 1 : 0;
        List<List<TableGrid.Cell>> rows = new ArrayList<>();
        for (int r = 0; r < records.size(); r++) {
            List<TableGrid.Cell> row = new ArrayList<>();
            for (String value : records.get(r)) {
                row.add(new TableGrid.Cell(CanonicalDocumentBuilder.normalizeInline(value), 1, 1, r < headerRows));
            }
            while (row.size() < columns) {
                row.add(new TableGrid.Cell("", 1, 1, r < headerRows));
            }
            rows.add(row);
        }
        TableGrid.Laid laid = TableGrid.layout(rows, limits.maxTableCells());
        if (laid != null && laid.table() != null) {
            extraction.blocks.add(RawBlock.table(laid.table(), 1, 1));
        }
        return extraction;
    }

    static char delimiter(String text) {
        char best = ',';
        double bestScore = 0;
        for (char candidate : CANDIDATES) {
            List<List<String>> sample = records(text, candidate, 50);
            if (sample.isEmpty()) {
                continue;
            }
            Map<Integer, Integer> counts = new HashMap<>();
            for (List<String> record : sample) {
                counts.merge(record.size(), 1, Integer::sum);
            }
            int modeFields = 1;
            int modeCount = 0;
            for (Map.Entry<Integer, Integer> entry : counts.entrySet()) {
                if (entry.getValue() > modeCount || (entry.getValue() == modeCount && entry.getKey() > modeFields)) {
                    modeFields = entry.getKey();
                    modeCount = entry.getValue();
                }
            }
            if (modeFields < 2) {
                continue;
            }
            double score = (double) modeCount / sample.size() * 1000 + modeFields;
            if (score > bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    /** RFC 4180 records: quoted fields may hold delimiters, doubled quotes and line breaks. */
    static List<List<String>> records(String text, char delimiter, long maxRecords) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int i = 0;
        while (i < text.length() && records.size() < maxRecords) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank()) {
                quoted = true;
                field.setLength(0);
                fieldStarted = true;
            } else if (c == delimiter) {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                records.add(record);
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
            } else {
                field.append(c);
                fieldStarted = true;
            }
            i++;
        }
        if ((fieldStarted || !field.isEmpty() || !record.isEmpty()) && records.size() < maxRecords) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }

    static boolean hasHeader(List<List<String>> records) {
        if (records.size() < 2) {
            return false;
        }
        List<String> first = records.getFirst();
        int votes = 0;
        for (int column = 0; column < first.size(); column++) {
            String header = first.get(column).strip();
            if (header.isEmpty()) {
                continue;
            }
            boolean allNumbers = true;
            Integer length = null;
            boolean sameLength = true;
            int seen = 0;
            for (List<String> record : records.subList(1, Math.min(records.size(), 51))) {
                if (column >= record.size() || record.get(column).isBlank()) {
                    continue;
                }
                String value = record.get(column).strip();
                seen++;
                allNumbers &= NUMBER.matcher(value).matches();
                if (length == null) {
                    length = value.length();
                } else if (length != value.length()) {
                    sameLength = false;
                }
            }
            if (seen == 0) {
                continue;
            }
            if (allNumbers) {
                votes += NUMBER.matcher(header).matches() ? -1 : 1;
            } else if (sameLength) {
                votes += header.length() != length ? 1 : -1;
            }
        }
        return votes > 0;
    }
}
