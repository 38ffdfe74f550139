package io.frostbyte.parser;

import java.awt.geom.Point2D;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pdfbox.contentstream.PDFStreamEngine;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.contentstream.operator.OperatorName;
import org.apache.pdfbox.contentstream.operator.OperatorProcessor;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * The horizontal and vertical ruling lines of one page: stroked straight path segments and thin filled rectangles,
 * plus the edges of filled cell backgrounds, in the top-down coordinates of {@link PdfLayoutReader.Line}. At most
 * {@link #MAX_SEGMENTS} are kept, so a page of hostile vector art costs a bounded amount. The path operators of the
 * page's content are fed in by {@link #operators} during the same pass that extracts the text, so a page's content
 * stream is parsed once.
 */
final class PdfRulings {
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
    private final boolean rotated;
    private final List<Segment> segments = new ArrayList<>();
    private final List<float[]> path = new ArrayList<>();
    private final List<float[]> rectangles = new ArrayList<>();
    private Point2D.Float current = new Point2D.Float();
    private Point2D.Float subpathStart = new Point2D.Float();

    PdfRulings(PDPage page) {
        PDRectangle box = page.getCropBox();
        this.left = box.getLowerLeftX();
        this.top = box.getUpperRightY();
        this.pageArea = box.getWidth() * box.getHeight();
        this.rotated = page.getRotation() % 360 != 0;
    }

    /** @return the page's rulings, or none when the page is rotated (its text positions are not comparable) */
    List<Segment> segments() {
        return rotated ? List.of() : List.copyOf(segments);
    }

    /**
     * The path construction and painting operators (re m l c v y h S s f F f* B B* b b* n), in user space transformed
     * by the engine's current transformation matrix, feeding the rulings {@code target} supplies; a null target (inside
     * a text object, where a Type 3 glyph draws letters) ignores them.
     */
    static List<OperatorProcessor> operators(PDFStreamEngine engine, Supplier<PdfRulings> target) {
        List<OperatorProcessor> operators = new ArrayList<>();
        operators.add(new PathOperator(engine, target, OperatorName.APPEND_RECT, (rulings, operands) -> {
            if (operands.length >= 4) {
                float x = operands[0];
                float y = operands[1];
                float w = operands[2];
                float h = operands[3];
                rulings.appendRectangle(
                        point(engine, x, y),
                        point(engine, x + w, y),
                        point(engine, x + w, y + h),
                        point(engine, x, y + h));
            }
        }));
        operators.add(new PathOperator(engine, target, OperatorName.MOVE_TO, (rulings, operands) -> {
            if (operands.length >= 2) {
                Point2D.Float p = point(engine, operands[0], operands[1]);
                rulings.moveTo(p.x, p.y);
            }
        }));
        operators.add(new PathOperator(engine, target, OperatorName.LINE_TO, (rulings, operands) -> {
            if (operands.length >= 2) {
                Point2D.Float p = point(engine, operands[0], operands[1]);
                rulings.lineTo(p.x, p.y);
            }
        }));
        for (String curve : List.of(OperatorName.CURVE_TO, OperatorName.CURVE_TO_REPLICATE_INITIAL_POINT)) {
            operators.add(new PathOperator(engine, target, curve, (rulings, operands) -> {
                if (operands.length >= 4) {
                    int n = operands.length;
                    rulings.curveTo(point(engine, operands[n - 2], operands[n - 1]));
                }
            }));
        }
        operators.add(new PathOperator(
                engine, target, OperatorName.CURVE_TO_REPLICATE_FINAL_POINT, (rulings, operands) -> {
                    if (operands.length >= 4) {
                        rulings.curveTo(point(engine, operands[2], operands[3]));
                    }
                }));
        operators.add(
                new PathOperator(engine, target, OperatorName.CLOSE_PATH, (rulings, operands) -> rulings.closePath()));
        operators.add(new PathOperator(
                engine, target, OperatorName.STROKE_PATH, (rulings, operands) -> rulings.strokePath()));
        operators.add(new PathOperator(engine, target, OperatorName.CLOSE_AND_STROKE, (rulings, operands) -> {
            rulings.closePath();
            rulings.strokePath();
        }));
        for (String fill :
                List.of(OperatorName.FILL_NON_ZERO, OperatorName.LEGACY_FILL_NON_ZERO, OperatorName.FILL_EVEN_ODD)) {
            operators.add(new PathOperator(engine, target, fill, (rulings, operands) -> rulings.fillPath()));
        }
        for (String both : List.of(OperatorName.FILL_NON_ZERO_AND_STROKE, OperatorName.FILL_EVEN_ODD_AND_STROKE)) {
            operators.add(new PathOperator(engine, target, both, (rulings, operands) -> rulings.fillAndStrokePath()));
        }
        for (String both :
                List.of(OperatorName.CLOSE_FILL_NON_ZERO_AND_STROKE, OperatorName.CLOSE_FILL_EVEN_ODD_AND_STROKE)) {
            operators.add(new PathOperator(engine, target, both, (rulings, operands) -> {
                rulings.closePath();
                rulings.fillAndStrokePath();
            }));
        }
        operators.add(new PathOperator(engine, target, OperatorName.ENDPATH, (rulings, operands) -> rulings.endPath()));
        return operators;
    }

    private static Point2D.Float point(PDFStreamEngine engine, float x, float y) {
        Point2D.Float p = new Point2D.Float(x, y);
        engine.getGraphicsState().getCurrentTransformationMatrix().transform(p);
        return p;
    }

    private interface PathAction {
        void apply(PdfRulings rulings, float[] operands);
    }

    /** One path operator: numeric operands read, the action applied to the current page's rulings. */
    private static final class PathOperator extends OperatorProcessor {
        private final String name;
        private final PathAction action;
        private final Supplier<PdfRulings> target;

        PathOperator(PDFStreamEngine engine, Supplier<PdfRulings> target, String name, PathAction action) {
            super(engine);
            this.name = name;
            this.action = action;
            this.target = target;
        }

        @Override
        public void process(Operator operator, List<COSBase> operands) {
            PdfRulings rulings = target.get();
            if (rulings == null) {
                return;
            }
            float[] numbers = new float[operands.size()];
            for (int i = 0; i < numbers.length; i++) {
                if (!(operands.get(i) instanceof COSNumber number)) {
                    return;
                }
                numbers[i] = number.floatValue();
            }
            action.apply(rulings, numbers);
        }

        @Override
        public String getName() {
            return name;
        }
    }

    void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {
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

    void moveTo(float x, float y) {
        current = new Point2D.Float(x, y);
        subpathStart = current;
    }

    void lineTo(float x, float y) {
        path.add(new float[] {current.x, current.y, x, y});
        current = new Point2D.Float(x, y);
    }

    void curveTo(Point2D.Float end) {
        current = end;
    }

    void closePath() {
        path.add(new float[] {current.x, current.y, subpathStart.x, subpathStart.y});
        current = subpathStart;
    }

    void endPath() {
        path.clear();
        rectangles.clear();
    }

    void strokePath() {
        for (float[] line : path) {
            add(line[0], line[1], line[2], line[3]);
        }
        endPath();
    }

    void fillPath() {
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

    void fillAndStrokePath() {
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
}
