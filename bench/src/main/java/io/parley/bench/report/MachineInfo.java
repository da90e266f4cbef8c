package io.parley.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The machine a run measured, so figures from different machines are never compared unawares.
 *
 * @param cores processors available to the JVM
 * @param cpuModel the CPU model from /proc/cpuinfo, where the OS has it
 * @param physicalMemoryBytes total memory of the machine, where the JVM can tell
 * @param jvmVersion full runtime version
 * @param jvmVendor the vendor of the runtime
 * @param jvmName the virtual machine's name
 * @param maxHeapBytes the bench JVM's maximum heap
 * @param jvmArguments the bench JVM's arguments (heap and GC settings shape the figures)
 * @param os operating system name, version and architecture
 */
public record MachineInfo(int cores, Optional<String> cpuModel, Optional<Long> physicalMemoryBytes, String jvmVersion,
                          String jvmVendor, String jvmName, long maxHeapBytes, List<String> jvmArguments, String os) {

    public MachineInfo {
        jvmArguments = List.copyOf(jvmArguments);
    }

    /** The machine this JVM runs on. */
    public static MachineInfo current() {
        Runtime runtime = Runtime.getRuntime();
        return new MachineInfo(
                runtime.availableProcessors(),
                cpuModel(Path.of("/proc/cpuinfo")),
                physicalMemory(),
                Runtime.version().toString(),
                System.getProperty("java.vm.vendor", "unknown"),
                System.getProperty("java.vm.name", "unknown"),
                runtime.maxMemory(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    /** The first "model name" line of a cpuinfo file. */
    static Optional<String> cpuModel(Path cpuinfo) {
        if (!Files.isReadable(cpuinfo)) {
            return Optional.empty();
        }
        try {
            return Files.readAllLines(cpuinfo, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> physicalMemory() {
        // The com.sun extension is present on HotSpot and OpenJ9; elsewhere the figure is simply left out.
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Optional.of(os.getTotalMemorySize());
        }
        return Optional.empty();
    }
}
