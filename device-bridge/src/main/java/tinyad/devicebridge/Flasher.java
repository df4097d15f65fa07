package tinyad.devicebridge;

import java.nio.file.Path;
import java.util.List;

import tinyad.common.DataException;
import tinyad.common.ToolException;

/** Command lines that put built firmware on a real board. */
public final class Flasher {
    private Flasher() {}

    /** Arduino Uno (ATmega328P, Optiboot at 115200 baud) through its USB serial port. */
    public static List<String> avrdude(Path hex, String port) {
        if (port == null) throw new DataException("--port is needed for an Arduino board (e.g. /dev/ttyACM0)");
        // avrdude splits -U at ':'; a path with one would name another memory or format
        if (hex.toString().contains(":")) throw new DataException(hex + ": avrdude cannot take a path with ':'; move the project");
        return List.of("avrdude", "-p", "atmega328p", "-c", "arduino", "-P", port, "-b", "115200", "-D",
                "-U", "flash:w:" + hex + ":i");
    }

    /** A Cortex-M board through OpenOCD (ST-Link or CMSIS-DAP): program, verify, reset. */
    public static List<String> openocd(Path elf, String interfaceCfg, String targetCfg) {
        for (String cfg : new String[] {interfaceCfg, targetCfg})
            if (!cfg.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*") || cfg.contains(".."))
                throw new DataException("OpenOCD configuration '" + cfg + "' is not a plain name like stlink or stm32l4x");
        // the image is built for the STM32L4's memory map and USART2 (ports/stm32l4): another chip would get a wrong image
        if (!targetCfg.equals("stm32l4x"))
            throw new DataException("--target-cfg " + targetCfg + ": tinyad builds only the STM32L4 image (stm32l4x); for another chip "
                    + "write a port (docs/firmware.md, \"Porting\") and flash its build with your own tools");
        return List.of("openocd", "-f", "interface/" + interfaceCfg + ".cfg", "-f", "target/" + targetCfg + ".cfg",
                "-c", "program " + tclWord(elf) + " verify reset exit");
    }

    /**
     * A path as one Tcl word for OpenOCD's -c: in braces, where Tcl substitutes nothing ([exec ...] in a
     * directory name stays text). Braces, backslashes and line ends could end the word, so they are refused.
     */
    static String tclWord(Path p) {
        String s = p.toString();
        if (s.chars().anyMatch(c -> c == '{' || c == '}' || c == '\\' || c < 0x20))
            throw new DataException(p + ": OpenOCD cannot take a path with braces, backslashes or control characters; move the project");
        return "{" + s + "}";
    }

    /** The STM32L4 build of an exported project (board memory map, USART2), for OpenOCD; returns the ELF. */
    public static Path buildStm32l4(Path project) {
        Tools.require("make", "arm-none-eabi-gcc");
        Tools.Result b = Tools.run(List.of("make", "-s", "-C", project.toString(), "stm32l4"), null, 300);
        if (b.exitCode() != 0) throw new ToolException("firmware build for stm32l4 failed: " + b.stderr().strip());
        return project.resolve("build/stm32l4/tinyad_app.elf");
    }

    /** The live ATmega328P build of an exported project (samples A0.., boots in live mode); returns the ELF. */
    public static Path buildAvrLive(Path project) {
        Tools.require("make", "avr-gcc");
        Tools.Result b = Tools.run(List.of("make", "-s", "-C", project.toString(), "avr-live"), null, 300);
        if (b.exitCode() != 0) throw new ToolException("firmware build for avr-live failed: " + b.stderr().strip());
        return project.resolve("build/avr-live/tinyad_app.elf");
    }

    /** Intel HEX for avrdude, from the ELF. */
    public static Path avrHex(Path elf) {
        Tools.require("avr-objcopy");
        Path hex = elf.resolveSibling("tinyad_app.hex");
        Tools.Result r = Tools.run(List.of("avr-objcopy", "-O", "ihex", "-R", ".eeprom", elf.toString(), hex.toString()), null, 60);
        if (r.exitCode() != 0) throw new ToolException("avr-objcopy failed: " + r.stderr().strip());
        return hex;
    }
}
