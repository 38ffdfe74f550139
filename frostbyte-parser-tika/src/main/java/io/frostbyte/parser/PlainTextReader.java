package io.frostbyte.parser;

import io.frostbyte.core.document.BlockType;
import java.util.regex.Pattern;

/** TXT (spec/02 §2.2): one page, paragraphs split on blank lines. */
final class PlainTextReader {
    private static final Pattern BLANK_LINES = Pattern.compile("\\n[ \\t\\f\\u000B]*\\n\\s*");

    private PlainTextReader() {}

    static Extraction read(byte[] bytes) {
        SourceText source = SourceText.decode(bytes);
        Extraction extraction = new Extraction();
        extraction.sourceEncoding = source.encoding();
        String text = source.text().replace("\r\n", "\n").replace('\r', '\n');
        for (String paragraph : BLANK_LINES.split(text)) {
            if (!paragraph.isBlank()) {
                extraction.blocks.add(RawBlock.text(BlockType.PARAGRAPH, 0, paragraph, 1, 1));
            }
        }
        return extraction;
    }
}
