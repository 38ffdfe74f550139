package io.frostbyte.server.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code frostbyte config show}. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Configuration commands.",
        subcommands = ConfigCommand.Show.class)
public final class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Prints the effective configuration with its sources; secrets as {@code ***}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print the effective configuration, secrets redacted.")
    public static final class Show implements Runnable {
        @Mixin
        ConfigOptions options;

        @picocli.CommandLine.Option(
                names = "--describe",
                description = "Precede every key with its description and default.")
        boolean describe;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().print(options.effective(Map.of()).render(describe));
            spec.commandLine().getOut().flush();
        }
    }
}
