package io.frostbyte.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretFilesTest {
    @TempDir
    Path directory;

    @Test
    void writes_the_exact_bytes_with_mode_0600() throws Exception {
        Path file = directory.resolve("admin.token");

        SecretFiles.write(file, "s3cr3t-token".getBytes(UTF_8));

        assertThat(Files.readAllBytes(file)).isEqualTo("s3cr3t-token".getBytes(UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void creates_missing_parent_directories_with_mode_0700() throws Exception {
        Path file = directory.resolve("data/keys/admin.token");

        SecretFiles.write(file, new byte[] {1, 2, 3});

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("data"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("data/keys"))))
                .isEqualTo("rwx------");
        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    }

    @Test
    void replacing_a_secret_keeps_mode_0600_and_leaves_no_temporary_file() throws Exception {
        Path file = directory.resolve("admin.token");
        SecretFiles.write(file, "old".getBytes(UTF_8));

        SecretFiles.write(file, "new".getBytes(UTF_8));

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("admin.token");
        }
    }

    @Test
    void create_if_absent_never_overwrites_an_existing_file() throws Exception {
        Path file = directory.resolve("admin.token");

        assertThat(SecretFiles.createIfAbsent(file, "first".getBytes(UTF_8))).isTrue();
        assertThat(SecretFiles.createIfAbsent(file, "second".getBytes(UTF_8))).isFalse();

        assertThat(Files.readString(file)).isEqualTo("first");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("admin.token");
        }
    }

    @Test
    void of_eight_concurrent_creators_exactly_one_wins_and_its_content_is_kept() throws Exception {
        Path file = directory.resolve("master.key");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                byte[] content = ("creator-" + i).getBytes(UTF_8);
                results.add(executor.submit(() -> {
                    start.await();
                    return SecretFiles.createIfAbsent(file, content);
                }));
            }
            start.countDown();
            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                if (results.get(i).get()) {
                    winners.add(i);
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(Files.readString(file)).isEqualTo("creator-" + winners.get(0));
        }
    }

    @Test
    void reads_back_an_owner_only_file() throws Exception {
        Path file = directory.resolve("admin.token");
        SecretFiles.write(file, "s3cr3t".getBytes(UTF_8));

        assertThat(SecretFiles.read(file)).isEqualTo("s3cr3t".getBytes(UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-r--r--", "rw--w----", "rw-----w-", "rw-rw-rw-"})
    void refuses_to_read_a_file_that_group_or_others_may_access(String mode) throws Exception {
        Path file = directory.resolve("admin.token");
        SecretFiles.write(file, "s3cr3t".getBytes(UTF_8));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

        assertThatThrownBy(() -> SecretFiles.read(file)).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage()).contains(file.toString()).contains(mode);
            assertThat(e.getMessage()).doesNotContain("s3cr3t");
        });
    }

    @Test
    void refuses_to_read_a_file_larger_than_the_limit() throws Exception {
        Path file = directory.resolve("admin.token");
        SecretFiles.write(file, new byte[101]);

        assertThat(SecretFiles.read(file, 101)).hasSize(101);
        assertThatThrownBy(() -> SecretFiles.read(file, 100)).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage()).contains(file.toString());
        });
    }

    @Test
    void refuses_to_read_a_directory() throws Exception {
        Path sub = Files.createDirectory(
                directory.resolve("keys"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

        assertThatThrownBy(() -> SecretFiles.read(sub)).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage()).contains(sub.toString());
        });
    }

    @Test
    void reading_a_missing_file_is_no_such_file() {
        assertThatThrownBy(() -> SecretFiles.read(directory.resolve("missing")))
                .isInstanceOf(NoSuchFileException.class);
    }
}
