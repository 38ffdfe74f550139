package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

/**
 * What an index generation is built with (spec/04 §4.1, §4.5): the embedding profile's name, the model and version
 * recorded on every chunk, the vector dimension fixed for the generation's life, and the keyword analyzer.
 *
 * @param profile the profile name of {@code embedding.profile}, e.g. {@code minilm-384}
 */
public record IndexProfile(String profile, String embedModel, String embedVersion, int dimensions, String analyzer) {
    /** The analyzer of both legs (spec/04 §4.3). */
    public static final String STANDARD_ANALYZER = "fb-standard-1";

    public IndexProfile {
        requireText(profile, "profile");
        requireText(embedModel, "embedModel");
        requireText(embedVersion, "embedVersion");
        requireText(analyzer, "analyzer");
        if (dimensions < 1 || dimensions > 65_536) {
            throw new IllegalArgumentException("dimensions must be in [1, 65536]: " + dimensions);
        }
    }

    private static void requireText(String value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isBlank() || value.length() > 200) {
            throw new IllegalArgumentException(name + " must be 1 to 200 non-blank characters");
        }
    }
}
