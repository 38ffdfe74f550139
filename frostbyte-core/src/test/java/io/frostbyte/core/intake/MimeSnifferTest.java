package io.frostbyte.core.intake;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class MimeSnifferTest {
    private static final Path CORPUS = Path.of("../../shared/corpus");
    private final MimeSniffer sniffer = new MimeSniffer();

    private Sniffed sniff(byte[] bytes, String filename) {
        byte[] window = Arrays.copyOf(bytes, Math.min(bytes.length, MimeSniffer.WINDOW_BYTES));
        return sniffer.sniff(
                window, bytes.length, IntakeType.extensionOf(filename), () -> new ByteArrayInputStream(bytes));
    }

    private static byte[] read(String path) throws IOException {
        return Files.readAllBytes(CORPUS.resolve(path));
    }

    private static byte[] zip(String contentTypes, String... extraEntries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write(contentTypes.getBytes(UTF_8));
            for (String name : extraEntries) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(new byte[] {1, 2, 3});
            }
        }
        return out.toByteArray();
    }

    private static String override(String type) {
        return "<Types><Override PartName=\"/main.xml\" ContentType=\"" + type + "\"/></Types>";
    }

    @Test
    void real_office_documents_are_recognised_from_their_container_main_part() throws IOException {
        assertThat(sniff(read("docling-testdata/docx/sources/lorem_ipsum.docx"), "a.docx")
                        .type())
                .contains(IntakeType.DOCX);
        assertThat(sniff(read("docling-testdata/xlsx/sources/xlsx_01.xlsx"), "a.xlsx")
                        .type())
                .contains(IntakeType.XLSX);
        assertThat(sniff(read("docling-testdata/pdf/sources/2305.03393v1-pg9.pdf"), "a.pdf")
                        .type())
                .contains(IntakeType.PDF);
    }

    @Test
    void macro_enabled_and_vba_carrying_containers_and_other_zips_are_not_accepted() throws IOException {
        Sniffed macro = sniff(zip(override("application/vnd.ms-word.document.macroEnabled.main+xml")), "a.docx");
        Sniffed vba = sniff(
                zip(
                        override("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
                        "word/vbaProject.bin"),
                "a.docx");
        Sniffed plainZip = sniff(zip("<Types/>"), "a.docx");

        assertThat(macro.type()).isEmpty();
        assertThat(vba.type()).isEmpty();
        assertThat(plainZip.type()).isEmpty();
        assertThat(plainZip.mimeType()).isEqualTo("application/zip");
    }

    @Test
    void executables_archives_ole2_and_scripts_are_named_but_never_an_allowed_type() {
        assertThat(sniff(new byte[] {'M', 'Z', 0, 0}, "a.docx").mimeType()).isEqualTo("application/x-msdownload");
        assertThat(sniff(new byte[] {0x7F, 'E', 'L', 'F', 1}, "a.pdf").mimeType())
                .isEqualTo("application/x-executable");
        assertThat(sniff(
                                new byte[] {
                                    (byte) 0xD0,
                                    (byte) 0xCF,
                                    0x11,
                                    (byte) 0xE0,
                                    (byte) 0xA1,
                                    (byte) 0xB1,
                                    0x1A,
                                    (byte) 0xE1
                                },
                                "a.doc")
                        .type())
                .isEmpty();
        assertThat(sniff("#!/bin/sh\nrm -rf /\n".getBytes(UTF_8), "a.txt").mimeType())
                .isEqualTo("text/x-shellscript");
        assertThat(sniff(new byte[] {0x1F, (byte) 0x8B, 8, 0}, "a.csv").mimeType())
                .isEqualTo("application/gzip");
        assertThat(sniff(new byte[0], "a.txt").mimeType()).isEqualTo("application/x-empty");
    }

    @Test
    void text_in_every_unicode_encoding_with_or_without_a_bom_and_in_cp1252_is_plain_text() {
        String text = "Quarterly report: revenue grew in every region.\nSecond line of plain text.\n";
        for (Charset charset : new Charset[] {
            UTF_8,
            java.nio.charset.StandardCharsets.UTF_16LE,
            java.nio.charset.StandardCharsets.UTF_16BE,
            Charset.forName("UTF-32LE"),
            Charset.forName("UTF-32BE"),
            Charset.forName("windows-1252")
        }) {
            assertThat(sniff(text.getBytes(charset), "a.txt").type())
                    .as(charset.name())
                    .contains(IntakeType.TXT);
        }
        byte[] bom = new byte[] {(byte) 0xFF, (byte) 0xFE};
        byte[] utf16 = text.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[bom.length + utf16.length];
        System.arraycopy(bom, 0, withBom, 0, 2);
        System.arraycopy(utf16, 0, withBom, 2, utf16.length);
        assertThat(sniff(withBom, "a.txt").type()).contains(IntakeType.TXT);
        assertThat(sniff("Café crème – déjà vu".getBytes(Charset.forName("windows-1252")), "a.txt")
                        .type())
                .contains(IntakeType.TXT);
    }

    @Test
    void binary_noise_is_not_text() {
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        noise[0] = 1;

        assertThat(sniff(noise, "a.txt").type()).isEmpty();
    }

    @Test
    void csv_needs_a_consistent_delimiter_and_its_extension_html_and_email_need_their_markers() throws IOException {
        assertThat(sniff(read("docling-testdata/csv/sources/csv-semicolon.csv"), "rates.csv")
                        .type())
                .contains(IntakeType.CSV);
        assertThat(sniff("a,b,c\n1,2,3\n4,5,6\n".getBytes(UTF_8), "rates.csv").type())
                .contains(IntakeType.CSV);
        assertThat(sniff("just a sentence\nand another one\n".getBytes(UTF_8), "rates.csv")
                        .type())
                .contains(IntakeType.TXT);
        assertThat(sniff("<!DOCTYPE html><html><body>x</body></html>".getBytes(UTF_8), "a.html")
                        .type())
                .contains(IntakeType.HTML);
        assertThat(sniff("From: a@example.com\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\nbody".getBytes(UTF_8), "a.eml")
                        .type())
                .contains(IntakeType.EML);
        assertThat(sniff("# Title\n\nSome *markdown*.\n".getBytes(UTF_8), "README.md")
                        .type())
                .contains(IntakeType.MARKDOWN);
    }

    @Test
    void declared_types_accept_the_spec_equivalences_and_no_claim() {
        assertThat(IntakeType.CSV.acceptsDeclared("application/vnd.ms-excel")).isTrue();
        assertThat(IntakeType.CSV.acceptsDeclared("text/plain; charset=utf-8")).isTrue();
        assertThat(IntakeType.PDF.acceptsDeclared("application/x-pdf")).isTrue();
        assertThat(IntakeType.TIFF.acceptsDeclared("image/tif")).isTrue();
        assertThat(IntakeType.DOCX.acceptsDeclared("application/octet-stream")).isTrue();
        assertThat(IntakeType.PDF.acceptsDeclared("image/png")).isFalse();
        assertThat(IntakeType.extensionOf("report.pdf.exe")).isEqualTo("exe");
        assertThat(IntakeType.extensionOf("README")).isEmpty();
        assertThat(IntakeType.ofMimeType("text/csv")).isEqualTo(Optional.of(IntakeType.CSV));
    }

    @Test
    void a_zip_bomb_is_read_only_up_to_the_inflation_bound() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("bomb.bin"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 100; i++) {
                zip.write(zeros); // 100 MiB of zeros, ~100 KB compressed
            }
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write(override("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
                    .getBytes(UTF_8));
        }

        Sniffed sniffed = sniff(out.toByteArray(), "bomb.docx");

        assertThat(sniffed.type()).isEmpty();
        assertThat(sniffed.mimeType()).isEqualTo("application/zip");
    }
}
