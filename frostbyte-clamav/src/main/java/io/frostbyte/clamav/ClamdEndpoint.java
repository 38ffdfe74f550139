package io.frostbyte.clamav;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** Where clamd listens: {@code TCPSocket}/{@code TCPAddr}, or {@code LocalSocket}. */
public sealed interface ClamdEndpoint {
    SocketAddress address();

    static ClamdEndpoint tcp(String host, int port) {
        return new Tcp(host, port);
    }

    static ClamdEndpoint unix(Path socket) {
        return new Unix(socket);
    }

    /** clamd's TCP socket; 3310 by convention. */
    record Tcp(String host, int port) implements ClamdEndpoint {
        public Tcp {
            requireNonNull(host, "host is null");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host is blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535: " + port);
            }
        }

        @Override
        public SocketAddress address() {
            return new InetSocketAddress(host, port);
        }

        @Override
        public String toString() {
            return "tcp://" + host + ":" + port;
        }
    }

    /** clamd's unix domain socket. */
    record Unix(Path socket) implements ClamdEndpoint {
        public Unix {
            requireNonNull(socket, "socket is null");
        }

        @Override
        public SocketAddress address() {
            return UnixDomainSocketAddress.of(socket);
        }

        @Override
        public String toString() {
            return "unix://" + socket;
        }
    }
}
