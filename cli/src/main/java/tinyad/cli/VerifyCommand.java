package tinyad.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.datasets.SensorTable;
import tinyad.devicebridge.Emulator;
import tinyad.devicebridge.Target;
import tinyad.devicebridge.Verifier;
import tinyad.quantizer.QuantizedModel;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Builds an exported project for a target, runs it (host binary or QEMU), streams the test",
                "windows through its serial protocol and checks every score against the Java integer reference."})
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "int8 model the firmware was exported from.")
    Path model;

    @Option(names = "--project", required = true, paramLabel = "DIR", description = "Directory written by tinyad export.")
    Path project;

    @Option(names = "--target", defaultValue = "host", description = "host, m4 (QEMU mps2-an386) or m3 (mps2-an385); default: ${DEFAULT-VALUE}.")
    String target;

    @Mixin
    DataOptions data;

    @Option(names = "--all", description = "Stream every window of the data, not only the test part.")
    boolean all;

    @Override
    public Integer call() {
        QuantizedModel q = QuantizedModel.load(model);
        SensorTable t = data.load().table();
        if (!all) t = data.split(t).test();
        Target tg = Target.parse(target);
        Path fw = tg.build(project);
        Verifier.Report r = Emulator.verify(tg, fw, q, q.quantizedInputs(t));
        System.out.println(DemoCommand.describe(tg, r));
        return r.ok() ? 0 : Main.EXIT_MISMATCH;
    }
}
