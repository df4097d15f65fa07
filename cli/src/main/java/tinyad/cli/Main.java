package tinyad.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import tinyad.common.DataException;
import tinyad.common.ToolException;

@Command(name = "tinyad", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Anomaly detection for microcontrollers: sensor data -> detector -> int8 -> C firmware,",
                "with every device score checked bit for bit against the Java integer reference.",
                "Without --data, commands use the built-in synthetic 3-axis vibration recording."},
        subcommands = {GenerateCommand.class, TrainCommand.class, EvaluateCommand.class, QuantizeCommand.class, ImportCommand.class, ExportCommand.class,
                FlashCommand.class, VerifyCommand.class, MonitorCommand.class, CollectCommand.class, TuneCommand.class, DemoCommand.class, BenchmarkCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:verification failed (a score mismatched or was lost)",
                "2:bad input or usage (the message says what)",
                "3:a tool, build, emulator or device failed (the message says which, and what to do)",
                "70:internal error (a bug: please report it)"})
public final class Main {
    public static final int EXIT_MISMATCH = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_TOOL_FAILED = 3;
    public static final int EXIT_INTERNAL = 70;

    /**
     * Descriptions are written in the source as lines of about 110 characters; picocli would print each as a line of
     * its own and wrap it at the terminal's width, leaving a ragged short line after every one. Joined into one
     * paragraph per command and option, picocli wraps them evenly at any width.
     */
    static void paragraphs(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        String[] d = spec.usageMessage().description();
        // a description laid out as a table (indented lines) keeps its lines
        boolean laidOut = java.util.Arrays.stream(d).anyMatch(l -> l.startsWith(" "));
        if (d.length > 1 && !laidOut) spec.usageMessage().description(String.join(" ", d));
        for (CommandLine.Model.OptionSpec o : new java.util.ArrayList<>(spec.options())) {
            if (o.description().length < 2 || o.group() != null || o.inherited()) continue;
            spec.remove(o);
            // description() hands back the text with %% already made %: escape it again for the rebuilt option
            String joined = String.join(" ", o.description()).replaceAll("(?<!%)%(?![%n])", "%%");
            spec.addOption(o.toBuilder().description(joined).build());
        }
        for (CommandLine sub : cl.getSubcommands().values()) paragraphs(sub);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        paragraphs(cl);
        // usage errors are one line too; the full usage is one --help away
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("tinyad: " + ex.getMessage().lines().findFirst().orElse("") + " (see: "
                    + c.getCommandSpec().qualifiedName() + " --help)");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionStrategy(parsed -> {
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) break;
                if (p.commandSpec().userObject() instanceof Validated v) {
                    try {
                        v.validate();
                    } catch (DataException e) {
                        throw new CommandLine.ParameterException(p.commandSpec().commandLine(), e.getMessage());
                    }
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            if (ex instanceof DataException) {
                cmd.getErr().println("tinyad: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof ToolException) {
                cmd.getErr().println("tinyad: " + ex.getMessage());
                return EXIT_TOOL_FAILED;
            }
            cmd.getErr().println("tinyad: internal error: " + ex);
            ex.printStackTrace(cmd.getErr());
            return EXIT_INTERNAL;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // the stack has unwound, so the heap is free again to print one line
            System.err.println("tinyad: out of memory (Java heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB): use less data, a larger --hop or fewer inputs, or a larger heap (TINYAD_JAVA_OPTS=-Xmx4g)");
            return EXIT_TOOL_FAILED;
        } catch (StackOverflowError e) {
            System.err.println("tinyad: internal error: stack overflow (a bug: please report it with the command line)");
            return EXIT_INTERNAL;
        } catch (Error e) {
            // other Errors (a broken JVM or class path, a native library that failed to load) are not tinyad's bugs to trace
            System.err.println("tinyad: the Java runtime failed: " + e.toString().lines().findFirst().orElse(""));
            return EXIT_TOOL_FAILED;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tinyad " + tinyad.codegen.ModelSource.TINYAD_VERSION};
        }
    }
}
