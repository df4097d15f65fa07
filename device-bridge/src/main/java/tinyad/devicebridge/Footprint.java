package tinyad.devicebridge;

import java.nio.file.Path;
import java.util.List;

import tinyad.common.ToolException;

/** Flash and static RAM of an ELF, from the toolchain's {@code size} (Berkeley format: text data bss). */
public record Footprint(long text, long data, long bss) {
    public long flash() {
        return text + data;
    }

    public long ram() {
        return data + bss;
    }

    public static Footprint of(String sizeTool, Path elf) {
        Tools.Result r = Tools.run(List.of(sizeTool, elf.toString()), null, 60);
        if (r.exitCode() != 0) throw new ToolException(sizeTool + " failed on " + elf + ": " + r.stderr().strip());
        String[] lines = r.stdout().strip().split("\n");
        String[] f = lines[lines.length - 1].trim().split("\\s+");
        return new Footprint(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
    }
}
