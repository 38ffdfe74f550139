package io.frostbyte.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The one JSON mapper of the API: snake_case, RFC 3339 UTC timestamps with milliseconds, bounded input. Maps keep
 * their insertion order (responses read top-down); anything hashed or signed is canonicalized separately (JCS).
 */
public final class Json {
    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .addModule(new SimpleModule().addSerializer(Instant.class, new InstantSerializer()))
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                    .addSerializer(java.util.Optional.class, new OptionalSerializer()))
            .build();

    static {
        MAPPER.getFactory().setCharacterEscapes(new FormatCharacterEscapes());
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(1 << 20)
                        .maxNumberLength(100)
                        .build());
    }

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String timestamp(Instant instant) {
        return RFC3339_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * Escapes Unicode format characters (bidi overrides and isolates, zero-width characters, BOM) as a {@code u}-escape
     * in every response, so a filename carrying a right-to-left override (U+202E) can never reorder what a client shows.
     */
    private static final class FormatCharacterEscapes extends com.fasterxml.jackson.core.io.CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            if (Character.getType(ch) == Character.FORMAT) {
                return new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04X", ch));
            }
            return null;
        }
    }

    private static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(timestamp(value));
        }
    }

    @SuppressWarnings("rawtypes")
    private static final class OptionalSerializer extends JsonSerializer<java.util.Optional> {
        @Override
        public void serialize(java.util.Optional value, JsonGenerator gen, SerializerProvider serializers)
                throws IOException {
            if (value.isPresent()) {
                serializers.defaultSerializeValue(value.get(), gen);
            } else {
                gen.writeNull();
            }
        }
    }
}
