package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.ErrorCode;
import org.junit.jupiter.api.Test;

class StackTraceHashTest {
    @Test
    void is_sixteen_hex_digits_of_sha256_over_class_and_top_frames() {
        IllegalStateException e = new IllegalStateException("canary text that must not matter");
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.frostbyte.Parser", "parse", "Parser.java", 42),
            new StackTraceElement("io.frostbyte.Stage", "run", "Stage.java", 7)
        });

        // sha256("java.lang.IllegalStateException\nio.frostbyte.Parser.parse\nio.frostbyte.Stage.run")[0:16]
        assertThat(StackTraceHash.of(e))
                .isEqualTo(StackTraceHash.ofText(
                        "java.lang.IllegalStateException\nio.frostbyte.Parser.parse\nio.frostbyte.Stage.run"))
                .matches("[0-9a-f]{16}");
        assertThat(StackTraceHash.ofText("abc")).isEqualTo("ba7816bf8f01cfea");
    }

    @Test
    void ignores_the_message_and_line_numbers_but_not_the_frames() {
        StackTraceElement[] frames = {new StackTraceElement("a.B", "c", "B.java", 1)};
        StackTraceElement[] movedLine = {new StackTraceElement("a.B", "c", "B.java", 99)};
        StackTraceElement[] otherMethod = {new StackTraceElement("a.B", "d", "B.java", 1)};

        assertThat(StackTraceHash.of(withFrames(new RuntimeException("one"), frames)))
                .isEqualTo(StackTraceHash.of(withFrames(new RuntimeException("two"), movedLine)))
                .isNotEqualTo(StackTraceHash.of(withFrames(new RuntimeException("one"), otherMethod)));
    }

    @Test
    void job_failures_cut_long_messages_and_hash_the_code_when_there_is_no_exception() {
        JobFailure failure = JobFailure.of(ErrorCode.PARSE_TIMEOUT, "x".repeat(800));

        assertThat(failure.message()).hasSize(JobFailure.MAX_MESSAGE);
        assertThat(failure.stackTraceHash()).isEqualTo(StackTraceHash.ofText("no-exception:PARSE_TIMEOUT"));
    }

    private static RuntimeException withFrames(RuntimeException e, StackTraceElement[] frames) {
        e.setStackTrace(frames);
        return e;
    }
}
