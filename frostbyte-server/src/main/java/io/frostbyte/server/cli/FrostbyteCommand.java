package io.frostbyte.server.cli;

import io.frostbyte.core.FrostbyteException;
import io.frostbyte.server.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code frostbyte} command line (picocli). */
@Command(
        name = "frostbyte",
        mixinStandardHelpOptions = true,
        versionProvider = FrostbyteCommand.VersionProvider.class,
        description = "Multi-tenant document ETL pipeline for retrieval-augmented generation.",
        subcommands = {
            ServeCommand.class,
            ConfigCommand.class,
            TokenCommand.class,
            TenantCommand.class,
            AuditCommand.class,
            ParseCommand.class,
            PolicyCommand.class,
            ProofCommand.class,
            IngestCommand.class,
            ReportCommand.class,
            QueryCommand.class
        })
public final class FrostbyteCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The command line reading configuration overrides from the given environment (tests pass their own). */
    public static CommandLine commandLine(java.util.Map<String, String> environment) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                if (type == ConfigOptions.class) {
                    return (K) new ConfigOptions(environment);
                }
                if (type == ClientOptions.class) {
                    return (K) new ClientOptions(environment);
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new FrostbyteCommand(), factory);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof FrostbyteException fe) {
                cmd.getErr().println("frostbyte: " + fe.getMessage());
                return fe.code() == io.frostbyte.core.ErrorCode.CONFIG_INVALID ? 78 : 1;
            }
            cmd.getErr().println("frostbyte: " + e.getClass().getSimpleName() + " (see the log for details)");
            org.slf4j.LoggerFactory.getLogger(FrostbyteCommand.class).error("command failed", e);
            return 1;
        });
        return commandLine;
    }

    /** Reports the build's version. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"frostbyte " + Version.current(), "Java " + Runtime.version()};
        }
    }
}
