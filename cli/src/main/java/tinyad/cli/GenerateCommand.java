package tinyad.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tinyad.datasets.SyntheticSensor;

@Command(name = "generate", mixinStandardHelpOptions = true,
        header = "Writes the built-in synthetic vibration recording as CSV.",
        description = {"Writes the seeded synthetic 3-axis vibration recording as CSV (timestamp,ax,ay,az,label).",
                "Normal machine vibration, then labelled faults: bearing, imbalance, spikes, drift, stuck sensor."})
final class GenerateCommand implements Callable<Integer>, Validated {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "CSV file to write.")
    Path output;

    @Option(names = "--rows", defaultValue = "60000", description = "Samples (1 kHz) to generate (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        SyntheticSensor.Options d = SyntheticSensor.Options.defaults();
        var rec = SyntheticSensor.generate(new SyntheticSensor.Options(seed, rows, d.sampleRateHz(), d.cleanFraction(), d.faultLength()));
        SyntheticSensor.writeCsv(rec.table(), output);
        System.out.printf("wrote %s: %d rows, %d fault segments%n", output, rows, rec.faults().size());
        return 0;
    }

    @Override
    public void validate() {
        Validated.range("--rows", rows, 1, tinyad.datasets.CsvLoader.MAX_ROWS);
    }
}
