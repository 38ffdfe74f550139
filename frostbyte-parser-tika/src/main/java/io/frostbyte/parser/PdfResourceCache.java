package io.frostbyte.parser;

import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.pdmodel.DefaultResourceCache;
import org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDPropertyList;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.color.PDColorSpace;
import org.apache.pdfbox.pdmodel.graphics.pattern.PDAbstractPattern;
import org.apache.pdfbox.pdmodel.graphics.shading.PDShading;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;

/**
 * A resource cache that keeps a document's fonts, form XObjects and other resources for as long as the document is
 * open. PDFBox's text extraction removes each page's resources from the cache when the page is done (until a resource
 * has been removed three times), so a font used on every page was parsed again for each of the first pages; here it is
 * parsed once per document. The cache holds soft references (those of {@link DefaultResourceCache}), so memory
 * pressure still clears it, and it is dropped with the document.
 */
final class PdfResourceCache extends DefaultResourceCache {
    @Override
    public PDFont removeFont(COSObject indirect) {
        return null;
    }

    @Override
    public PDColorSpace removeColorSpace(COSObject indirect) {
        return null;
    }

    @Override
    public PDExtendedGraphicsState removeExtState(COSObject indirect) {
        return null;
    }

    @Override
    public PDShading removeShading(COSObject indirect) {
        return null;
    }

    @Override
    public PDAbstractPattern removePattern(COSObject indirect) {
        return null;
    }

    @Override
    public PDPropertyList removeProperties(COSObject indirect) {
        return null;
    }

    @Override
    public PDXObject removeXObject(COSObject indirect) {
        return null;
    }
}
