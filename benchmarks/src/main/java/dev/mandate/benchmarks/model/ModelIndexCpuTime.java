package dev.mandate.benchmarks.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.model.internal.ModelIndex;

/**
 * The figures of {@link ModelIndexBenchmark} in CPU time of the measuring thread rather than wall
 * time, for a machine shared with other work (where JMH's wall-clock scores include the time the
 * thread waited for a core). Same estate, same operations, after a warm-up.
 * {@code java -Xmx3g -cp benchmarks/target/benchmarks.jar dev.mandate.benchmarks.model.ModelIndexCpuTime}
 */
public final class ModelIndexCpuTime {
    private static final Set<RelationType> BLAST = EnumSet.of(RelationType.DEPENDS_ON, RelationType.CONTAINS);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ModelIndexCpuTime() {
    }

    public static void main(String[] args) {
        EstateGenerator.Estate estate = EstateGenerator.generate(1_000_000, 800_000, 7);
        for (int round = 0; round < 3; round++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
            for (Element element : estate.elements()) {
                builder.put(element);
            }
            builder.build(1);
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            System.out.printf("bulk upsert of %,d elements into an empty index: %.0f ms cpu, %,.0f elements/s%n",
                    estate.elements().size(), cpu / 1e6, estate.elements().size() / (cpu / 1e9));
        }
        ModelIndex index = ModelIndexBenchmark.load(estate);
        String[] ids = estate.elements().stream().map(Element::id).toArray(String[]::new);
        SplittableRandom random = new SplittableRandom(11);

        int found = 0;
        for (int round = 0; round < 3; round++) {
            int n = 5_000_000;
            long cpu = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                if (index.element(ids[random.nextInt(ids.length)]).isPresent()) {
                    found++;
                }
            }
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            System.out.printf("lookup by id (random of 1M): %.0f ns cpu per lookup%n", (double) cpu / n);
        }

        List<String> sample = new ArrayList<>();
        for (int tries = 0; sample.size() < 2_000 && tries < 200_000; tries++) {
            String id = ids[random.nextInt(ids.length)];
            BlastRadius radius = index.blastRadius(id, BLAST, 1_000);
            if (radius.count() >= 1 && !radius.truncated()) {
                sample.add(id);
            }
        }
        for (int round = 0; round < 2; round++) {
            long[] times = new long[20_000];
            int dependents = 0;
            for (int i = 0; i < times.length; i++) {
                String id = sample.get(random.nextInt(sample.size()));
                long cpu = THREADS.getCurrentThreadCpuTime();
                dependents += index.blastRadius(id, BLAST, 10_000).count();
                times[i] = THREADS.getCurrentThreadCpuTime() - cpu;
            }
            Arrays.sort(times);
            System.out.printf("blast radius (%d elements with 1..1000 dependents, mean %d): p50 %.0f µs, p99 %.0f µs,"
                    + " max %.0f µs cpu%n", sample.size(), dependents / times.length, times[times.length / 2] / 1e3,
                    times[times.length * 99 / 100] / 1e3, times[times.length - 1] / 1e3);
        }

        long revision = 1;
        for (int round = 0; round < 2; round++) {
            int n = 2_000;
            long cpu = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                ModelIndex.Builder builder = index.toBuilder();
                Element element = estate.elements().get(random.nextInt(ids.length));
                builder.put(element);
                builder.putRelation(Relation.of(RelationType.CONNECTS_TO, element.id(), ids[random.nextInt(ids.length)]));
                builder.build(++revision);
            }
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            System.out.printf("commit of 1 element + 1 relation on the 1M index: %.0f µs cpu%n", cpu / 1e3 / n);
        }
        System.out.println(found > 0 ? "" : "nothing found");
    }
}
