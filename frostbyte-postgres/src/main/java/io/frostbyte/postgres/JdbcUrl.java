package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A PostgreSQL JDBC URL of the form {@code jdbc:postgresql://host[:port][,host:port...][/database][?key=value&...]},
 * split so credentials can travel as connection properties instead of inside the URL. Immutable. {@link #toString()}
 * never shows the password; only {@link #url()} does.
 */
public final class JdbcUrl {
    private static final String PREFIX = "jdbc:postgresql://";
    private static final String USER = "user";
    private static final String PASSWORD = "password";

    private final String hosts;
    private final String database;
    private final Map<String, String> parameters;

    private JdbcUrl(String hosts, String database, Map<String, String> parameters) {
        this.hosts = hosts;
        this.database = database;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Parses a URL.
     *
     * @throws FrostbyteException {@code CONFIG_INVALID} when it is not a {@code jdbc:postgresql://} URL; the message
     *     never repeats the URL (it may hold a password)
     */
    public static JdbcUrl parse(String url) {
        requireNonNull(url, "url is null");
        if (!url.startsWith(PREFIX)) {
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "database URL must start with " + PREFIX);
        }
        String rest = url.substring(PREFIX.length());
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        String hosts = rest;
        String database = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            hosts = rest.substring(0, slash);
            database = decode(rest.substring(slash + 1));
        }
        if (hosts.isEmpty()) {
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "database URL has no host");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.put(key, value);
        }
        return new JdbcUrl(hosts, database, parameters);
    }

    /** The database name; empty when the URL names none (the driver then uses the user name). */
    public String database() {
        return database;
    }

    public Optional<String> user() {
        return Optional.ofNullable(parameters.get(USER));
    }

    public Optional<String> password() {
        return Optional.ofNullable(parameters.get(PASSWORD));
    }

    /** The same server and parameters, another database. */
    public JdbcUrl withDatabase(String database) {
        requireNonNull(database, "database is null");
        return new JdbcUrl(hosts, database, parameters);
    }

    /** The URL without {@code user} and {@code password}, for pools and logs that take credentials separately. */
    public JdbcUrl withoutCredentials() {
        Map<String, String> rest = new LinkedHashMap<>(parameters);
        rest.remove(USER);
        rest.remove(PASSWORD);
        return new JdbcUrl(hosts, database, rest);
    }

    /** The credentials as driver properties ({@code user}, {@code password}), for a URL without them. */
    public Properties credentials() {
        Properties properties = new Properties();
        user().ifPresent(u -> properties.setProperty(USER, u));
        password().ifPresent(p -> properties.setProperty(PASSWORD, p));
        return properties;
    }

    /** The full URL, password included: hand it to a driver, never to a log. */
    public String url() {
        return render(false);
    }

    /** The URL with the password replaced by {@code ***}. */
    public String redacted() {
        return render(true);
    }

    @Override
    public String toString() {
        return redacted();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JdbcUrl other
                && hosts.equals(other.hosts)
                && database.equals(other.database)
                && parameters.equals(other.parameters);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(hosts, database, parameters);
    }

    private String render(boolean redact) {
        StringBuilder url = new StringBuilder(PREFIX).append(hosts).append('/').append(encode(database));
        char separator = '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String value = redact && parameter.getKey().equals(PASSWORD) ? "***" : encode(parameter.getValue());
            url.append(separator).append(encode(parameter.getKey())).append('=').append(value);
            separator = '&';
        }
        return url.toString();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "database URL has an invalid %-escape");
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
