package io.frostbyte.server.intake;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final String SHA = "470C315A04A9DB7D9F322567A9782164433432DF8F30A07298ED7EBB7DFEA0CB";

    private static Manifest read(String json) {
        return ManifestReader.read(json.getBytes(UTF_8), ACME, 1000);
    }

    private static String entry(String id, String name) {
        return "{\"file_id\":\"" + id + "\",\"filename\":\"" + name
                + "\",\"mime_type\":\"application/pdf\",\"size_bytes\":10,\"sha256\":\"" + SHA + "\"}";
    }

    private static ErrorCode codeOf(String json) {
        try {
            read(json);
            return null;
        } catch (FrostbyteException e) {
            return e.code();
        }
    }

    @Test
    void the_spec_example_reads_with_lowercased_checksums_basenames_and_its_own_sha256() {
        String json = "{\"batch_id\":\"batch_2026-03-02_001\",\"tenant_id\":\"acme-corp\",\"file_count\":1,"
                + "\"submitted_at\":\"2026-03-02T10:14:02.000Z\",\"submitter\":\"dana.ops@vendor.example\","
                + "\"files\":[" + entry("f-0001", "contracts/MSA_2025.pdf") + "]}";

        Manifest manifest = read(json);

        assertThat(manifest.batchId()).isEqualTo("batch_2026-03-02_001");
        assertThat(manifest.files().get(0).filename()).isEqualTo("MSA_2025.pdf");
        assertThat(manifest.files().get(0).sha256()).isEqualTo(SHA.toLowerCase());
        assertThat(manifest.submittedAt()).isPresent();
        assertThat(manifest.sha256()).isEqualTo(ManifestReader.sha256Hex(json.getBytes(UTF_8)));
    }

    @Test
    void every_broken_rule_is_named_once_and_filenames_are_never_echoed() {
        String json = "{\"batch_id\":\"../x\",\"tenant_id\":\"globex\",\"file_count\":1,\"extra\":1,"
                + "\"files\":[{\"file_id\":\"a\",\"filename\":\"secret\\u0007name.pdf\",\"mime_type\":\"pdf\","
                + "\"size_bytes\":-1,\"sha256\":\"xyz\"}]}";

        assertThatThrownBy(() -> read(json)).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
            assertThat(e.details())
                    .extracting(FrostbyteException.ErrorDetail::field)
                    .containsExactlyInAnyOrder(
                            "extra",
                            "batch_id",
                            "tenant_id",
                            "files[0].filename",
                            "files[0].mime_type",
                            "files[0].size_bytes",
                            "files[0].sha256");
            assertThat(e.details().toString()).doesNotContain("secret");
        });
    }

    @Test
    void count_size_and_duplicate_rules_have_their_own_codes_in_spec_order() {
        String two = entry("a", "a.pdf") + "," + entry("a", "b.pdf");
        assertThat(codeOf("{\"batch_id\":\"b\",\"tenant_id\":\"acme-corp\",\"file_count\":3,\"files\":[" + two + "]}"))
                .isEqualTo(ErrorCode.MANIFEST_FILE_COUNT_MISMATCH);
        assertThat(ManifestReaderTest.codeOfWithLimit(
                        "{\"batch_id\":\"b\",\"tenant_id\":\"acme-corp\",\"file_count\":2,\"files\":[" + two + "]}", 1))
                .isEqualTo(ErrorCode.BATCH_TOO_LARGE);
        assertThat(codeOf("{\"batch_id\":\"b\",\"tenant_id\":\"acme-corp\",\"file_count\":2,\"files\":[" + two + "]}"))
                .isEqualTo(ErrorCode.DUPLICATE_FILE_ID);
        assertThat(codeOf("{\"batch_id\":\"b\",\"batch_id\":\"c\",\"tenant_id\":\"acme-corp\",\"file_count\":1,"
                        + "\"files\":[" + entry("a", "a.pdf") + "]}"))
                .isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(codeOf("[]")).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(codeOf("")).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    private static ErrorCode codeOfWithLimit(String json, int maxBatchSize) {
        try {
            ManifestReader.read(json.getBytes(UTF_8), ACME, maxBatchSize);
            return null;
        } catch (FrostbyteException e) {
            return e.code();
        }
    }
}
