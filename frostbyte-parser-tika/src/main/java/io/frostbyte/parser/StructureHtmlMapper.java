package io.frostbyte.parser;

import java.util.Locale;
import org.apache.tika.parser.html.DefaultHtmlMapper;

/**
 * Tika's safe HTML mapping plus what the canonical model needs: {@code rowspan}/{@code colspan} on cells and
 * {@code code} kept. Scripts and styles stay discarded.
 */
final class StructureHtmlMapper extends DefaultHtmlMapper {
    static final StructureHtmlMapper INSTANCE = new StructureHtmlMapper();

    @Override
    public String mapSafeElement(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("code")) {
            return "code";
        }
        return super.mapSafeElement(name);
    }

    @Override
    public String mapSafeAttribute(String elementName, String attributeName) {
        String element = elementName.toLowerCase(Locale.ROOT);
        String attribute = attributeName.toLowerCase(Locale.ROOT);
        if ((element.equals("td") || element.equals("th"))
                && (attribute.equals("rowspan") || attribute.equals("colspan"))) {
            return attribute;
        }
        return super.mapSafeAttribute(elementName, attributeName);
    }
}
