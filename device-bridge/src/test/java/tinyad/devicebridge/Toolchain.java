package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Tests that need compilers or emulators: skipped on a machine without them, but a failure in CI. */
final class Toolchain {
    private Toolchain() {}

    static void require(String... tools) {
        for (String t : tools) {
            if (Tools.onPath(t)) continue;
            String why = t + " is not installed (scripts/setup installs it)";
            if (System.getenv("CI") != null) fail(why);
            assumeTrue(false, why);
        }
    }
}
