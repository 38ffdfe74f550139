package io.frostbyte.parser;

import java.awt.geom.Point2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType3Font;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.util.Matrix;
import org.apache.pdfbox.util.Vector;

/**
 * The horizontal and vertical ruling lines of one page: stroked straight path segments and thin filled rectangles,
 * plus the edges of filled cell backgrounds, in the top-down coordinates of {@link PdfLayoutReader.Line}. At most
 * {@link #MAX_SEGMENTS} are kept, so a page of hostile vector art costs a bounded amount.
 */
final class PdfRulings extends PDFGraphicsStreamEngine {
    static final int MAX_SEGMENTS = 4_000;
    private static final float THIN = 3f;

    /** An axis-parallel segment; horizontal when {@code y0 == y1}, with {@code x0 <= x1} and {@code y0 <= y1}. */
    record Segment(float x0, float y0, float x1, float y1) {
        boolean horizontal() {
            return y0 == y1;
        }
    }

    private final float left;
    private final float top;
    private final float pageArea;
    private final List<Segment> segments = new ArrayList<>();
    private final List<float[]> path = new ArrayList<>();
    private final List<float[]> rectangles = new ArrayList<>();
    private Point2D.Float current = new Point2D.Float();
    private Point2D.Float subpathStart = new Point2D.Float();

    private PdfRulings(PDPage page) {
        super(page);
        PDRectangle box = page.getCropBox();
        this.left = box.getLowerLeftX();
        this.top = box.getUpperRightY();
        this.pageArea = box.getWidth() * box.getHeight();
    }

    /** @return the page's rulings, or none when the page is rotated (its text positions are not comparable) */
    static List<Segment> of(PDPage page) throws IOException {
        if (page.getRotation() % 360 != 0) {
            return List.of();
        }
        PdfRulings rulings = new PdfRulings(page);
        rulings.processPage(page);
        return List.copyOf(rulings.segments);
    }

    @Override
    public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {
        float x0 = (float) Math.min(Math.min(p0.getX(), p1.getX()), Math.min(p2.getX(), p3.getX()));
        float x1 = (float) Math.max(Math.max(p0.getX(), p1.getX()), Math.max(p2.getX(), p3.getX()));
        float y0 = (float) Math.min(Math.min(p0.getY(), p1.getY()), Math.min(p2.getY(), p3.getY()));
        float y1 = (float) Math.max(Math.max(p0.getY(), p1.getY()), Math.max(p2.getY(), p3.getY()));
        rectangles.add(new float[] {x0, y0, x1, y1});
        path.add(new float[] {x0, y0, x1, y0});
        path.add(new float[] {x1, y0, x1, y1});
        path.add(new float[] {x1, y1, x0, y1});
        path.add(new float[] {x0, y1, x0, y0});
        current = new Point2D.Float((float) p0.getX(), (float) p0.getY());
        subpathStart = current;
    }

    @Override
    public void moveTo(float x, float y) {
        current = new Point2D.Float(x, y);
        subpathStart = current;
    }

    @Override
    public void lineTo(float x, float y) {
        path.add(new float[] {current.x, current.y, x, y});
        current = new Point2D.Float(x, y);
    }

    @Override
    public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {
        current = new Point2D.Float(x3, y3);
    }

    @Override
    public Point2D getCurrentPoint() {
        return current;
    }

    @Override
    public void closePath() {
        path.add(new float[] {current.x, current.y, subpathStart.x, subpathStart.y});
        current = subpathStart;
    }

    @Override
    public void endPath() {
        path.clear();
        rectangles.clear();
    }

    @Override
    public void strokePath() {
        for (float[] line : path) {
            add(line[0], line[1], line[2], line[3]);
        }
        endPath();
    }

    @Override
    public void fillPath(int windingRule) {
        for (float[] box : rectangles) {
            float width = box[2] - box[0];
            float height = box[3] - box[1];
            if (height <= THIN && width > THIN) {
                float y = (box[1] + box[3]) / 2;
                add(box[0], y, box[2], y);
            } else if (width <= THIN && height > THIN) {
                float x = (box[0] + box[2]) / 2;
                add(x, box[1], x, box[3]);
            } else if (width * height < pageArea / 4) {
                // a shaded cell or row: its edges separate rows and columns like rules do
                add(box[0], box[1], box[2], box[1]);
                add(box[0], box[3], box[2], box[3]);
                add(box[0], box[1], box[0], box[3]);
                add(box[2], box[1], box[2], box[3]);
            }
        }
        endPath();
    }

    @Override
    public void fillAndStrokePath(int windingRule) {
        for (float[] line : path) {
            add(line[0], line[1], line[2], line[3]);
        }
        endPath();
    }

    private void add(float x0, float y0, float x1, float y1) {
        if (segments.size() >= MAX_SEGMENTS
                || !Float.isFinite(x0)
                || !Float.isFinite(y0)
                || !Float.isFinite(x1)
                || !Float.isFinite(y1)) {
            return;
        }
        float ax0 = Math.min(x0, x1) - left;
        float ax1 = Math.max(x0, x1) - left;
        float ay0 = top - Math.max(y0, y1);
        float ay1 = top - Math.min(y0, y1);
        if (ay1 - ay0 < 1f && ax1 - ax0 >= 1f) {
            float y = (ay0 + ay1) / 2;
            segments.add(new Segment(ax0, y, ax1, y));
        } else if (ax1 - ax0 < 1f && ay1 - ay0 >= 1f) {
            float x = (ax0 + ax1) / 2;
            segments.add(new Segment(x, ay0, x, ay1));
        }
    }

    @Override
    public void drawImage(PDImage pdImage) {}

    @Override
    public void clip(int windingRule) {}

    @Override
    public void shadingFill(org.apache.pdfbox.cos.COSName shadingName) {}

    @Override
    protected void showType3Glyph(Matrix textRenderingMatrix, PDType3Font font, int code, Vector displacement) {
        // a Type 3 glyph's drawing is lettering, not ruling
    }
}
