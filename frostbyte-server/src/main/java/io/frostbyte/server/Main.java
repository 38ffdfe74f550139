package io.frostbyte.server;

import io.frostbyte.server.cli.FrostbyteCommand;

/** {@code java -jar frostbyte.jar <command>}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(FrostbyteCommand.commandLine().execute(args));
    }
}
