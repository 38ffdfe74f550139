package io.frostbyte.parser;

import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.ParseLimits;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * PNG and TIFF through OCR (spec/02 §2.2, §2.4): one page per image or TIFF frame, recognized lines grouped into
 * paragraphs by Tesseract's paragraph numbers, each page's mean word confidence recorded. Frames beyond {@code
 * parse.max_pages} and frames larger than {@link #MAX_PIXELS} (a decompression bomb) are dropped; a frame Tesseract
 * fails on is dropped as {@code ocr_failed_page}.
 */
final class ImageOcrReader {
    static final long MAX_PIXELS = 100_000_000L;

    /** Thrown when no frame of the image could be recognized. */
    static final class NothingRecognized extends Exception {
        private static final long serialVersionUID = 1L;

        NothingRecognized(String message) {
            super(message);
        }
    }

    private ImageOcrReader() {}

    static Extraction read(byte[] bytes, ParseLimits limits, TesseractOcr ocr, Path scratch, Duration timeout)
            throws IOException, InterruptedException, NothingRecognized {
        Extraction extraction = new Extraction();
        extraction.ocrEngine = ocr.engine();
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("no image reader accepts the file");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, false, true);
                int frames = countFrames(reader, limits.maxPages() + 1);
                int kept = Math.min(frames, limits.maxPages());
                if (frames > kept) {
                    extraction.drop("page", kept + 1, "limit_exceeded");
                }
                extraction.pageCount = Math.max(1, kept);
                int failed = 0;
                for (int frame = 0; frame < kept; frame++) {
                    int page = frame + 1;
                    long pixels = (long) reader.getWidth(frame) * reader.getHeight(frame);
                    if (pixels > MAX_PIXELS) {
                        extraction.drop("image", page, "limit_exceeded");
                        failed++;
                        continue;
                    }
                    Path file = scratch.resolve("frame-" + page + ".png");
                    try {
                        BufferedImage image = reader.read(frame);
                        ImageIO.write(image, "png", file.toFile());
                        addRecognized(extraction, ocr.recognize(file, timeout), page);
                    } catch (TesseractOcr.OcrException | IOException e) {
                        extraction.drop("page", page, "ocr_failed_page");
                        failed++;
                    } finally {
                        Files.deleteIfExists(file);
                    }
                }
                if (failed == kept) {
                    throw new NothingRecognized("OCR failed on every page");
                }
            } finally {
                reader.dispose();
            }
        }
        return extraction;
    }

    private static int countFrames(ImageReader reader, int atMost) throws IOException {
        int frames = 0;
        while (frames < atMost) {
            try {
                reader.getWidth(frames);
            } catch (IndexOutOfBoundsException e) {
                break;
            }
            frames++;
        }
        return frames;
    }

    /** Adds the recognized lines of one page as paragraphs and records its confidence. */
    static void addRecognized(Extraction extraction, TesseractOcr.Result result, int page) {
        extraction.ocrConfidenceOfPage.put(page, result.confidence());
        List<TesseractOcr.Line> lines = result.lines();
        StringBuilder paragraph = new StringBuilder();
        int block = -1;
        int number = -1;
        for (TesseractOcr.Line line : lines) {
            if ((line.block() != block || line.paragraph() != number) && !paragraph.isEmpty()) {
                extraction.blocks.add(RawBlock.text(BlockType.PARAGRAPH, 0, paragraph.toString(), page, page));
                paragraph.setLength(0);
            }
            block = line.block();
            number = line.paragraph();
            paragraph.append(line.text()).append('\n');
        }
        if (!paragraph.isEmpty()) {
            extraction.blocks.add(RawBlock.text(BlockType.PARAGRAPH, 0, paragraph.toString(), page, page));
        }
    }
}
