package io.frostbyte.server.logging;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * Logs a throwable as its class names and frames only. Exception messages from parsers and other libraries can carry
 * document content (spec/09 OPS-3), so no message of any exception is ever written.
 */
public final class ContentFreeThrowableConverter extends ThrowableHandlingConverter {
    private static final int MAX_FRAMES = 12;

    @Override
    public String convert(ILoggingEvent event) {
        IThrowableProxy proxy = event.getThrowableProxy();
        if (proxy == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int depth = 0;
        while (proxy != null && depth < 5) {
            if (depth > 0) {
                out.append("Caused by: ");
            }
            out.append(proxy.getClassName()).append('\n');
            StackTraceElementProxy[] frames = proxy.getStackTraceElementProxyArray();
            for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
                out.append("\tat ").append(frames[i].getStackTraceElement()).append('\n');
            }
            proxy = proxy.getCause();
            depth++;
        }
        return out.toString();
    }
}
