package dev.mandate.benchmarks.model;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import dev.mandate.kernel.model.internal.ModelIndex;

/**
 * Heap retained by the model index of a generated estate: builds the index, drops the estate,
 * collects and reports the used heap. Run with the heap the target allows, e.g.
 * {@code java -Xmx1536m -cp benchmarks/target/benchmarks.jar dev.mandate.benchmarks.model.ModelIndexFootprint}
 * (arguments: elements, extra CONNECTS_TO relations).
 */
public final class ModelIndexFootprint {
    private ModelIndexFootprint() {
    }

    public static void main(String[] args) {
        int elements = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int extra = args.length > 1 ? Integer.parseInt(args[1]) : 800_000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        settle(memory);
        long before = memory.getHeapMemoryUsage().getUsed();
        long start = System.nanoTime();
        ModelIndex index = buildFromGeneratedEstate(elements, extra);
        long built = System.nanoTime() - start;
        long after = settle(memory);
        long bytes = after - before;
        System.out.printf("index of %,d elements and %,d relations: %,d bytes retained (%.0f MiB), %,d bytes per element"
                + " (relations included); generated and loaded in %.1f s; max heap %,d MiB%n", index.size(),
                index.relationCount(), bytes, bytes / 1048576.0, bytes / index.size(), built / 1e9,
                Runtime.getRuntime().maxMemory() / 1048576);
    }

    /** Generates the estate in slices so that the whole estate and the index are never in memory together. */
    private static ModelIndex buildFromGeneratedEstate(int elements, int extra) {
        EstateGenerator.Estate estate = EstateGenerator.generate(elements, extra, 7);
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        var elementList = estate.elements();
        for (int i = 0; i < elementList.size(); i++) {
            builder.put(elementList.get(i));
            elementList.set(i, null);
        }
        var relations = estate.relations();
        for (int i = 0; i < relations.size(); i++) {
            builder.putRelation(relations.get(i));
            relations.set(i, null);
        }
        return builder.build(1);
    }

    private static long settle(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                break;
            }
            used = now;
        }
        return used;
    }
}
