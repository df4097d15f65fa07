package tinyad.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

import tinyad.common.DataException;

@Command(name = "tinyad", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Anomaly detection for microcontrollers: sensor data -> detector -> int8 -> C firmware,",
                "with every device score checked bit for bit against the Java integer reference.",
                "Without --data, commands use the built-in synthetic 3-axis vibration recording."},
        subcommands = {GenerateCommand.class, TrainCommand.class, EvaluateCommand.class, QuantizeCommand.class, ExportCommand.class,
                FlashCommand.class, VerifyCommand.class, MonitorCommand.class, DemoCommand.class, BenchmarkCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:verification failed (a score mismatched or was lost)",
                "2:bad input or usage (the message says what)", "70:internal error (a bug: please report it)"})
public final class Main {
    public static final int EXIT_MISMATCH = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_INTERNAL = 70;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            if (ex instanceof DataException) {
                cmd.getErr().println("tinyad: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            cmd.getErr().println("tinyad: internal error: " + ex);
            ex.printStackTrace(cmd.getErr());
            return EXIT_INTERNAL;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tinyad " + tinyad.codegen.ModelSource.TINYAD_VERSION};
        }
    }
}
