package io.frostbyte.parser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Inflates every part of a ZIP container (DOCX, XLSX, PPTX, ...) into nothing before Tika sees it, and reports a part
 * that expands more than the allowed ratio over its compressed size, or a container expanding more than the ratio over
 * its own size (spec/02 §2.1: {@code FILE_CORRUPTED}). Parts below {@link #GRACE_BYTES} are never judged, as in POI.
 */
final class ZipExpansionGuard {
    static final long GRACE_BYTES = 100 * 1024;

    private ZipExpansionGuard() {}

    static boolean isZip(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
    }

    /** True when some part or the whole container expands beyond {@code maxRatio}. */
    static boolean expandsTooMuch(byte[] bytes, int maxRatio) {
        long containerCap = Math.max(GRACE_BYTES, (long) maxRatio * bytes.length);
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                long inflated = 0;
                int read;
                while ((read = zip.read(buffer)) > 0) {
                    inflated += read;
                    total += read;
                    if (total > containerCap) {
                        return true;
                    }
                }
                long compressed = entry.getCompressedSize();
                if (inflated > GRACE_BYTES && compressed > 0 && inflated > (long) maxRatio * compressed) {
                    return true;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a readable ZIP stream; Tika decides whether the file is corrupt
            return false;
        }
        return false;
    }
}
