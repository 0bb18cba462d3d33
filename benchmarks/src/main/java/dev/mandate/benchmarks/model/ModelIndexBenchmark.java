package dev.mandate.benchmarks.model;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.mandate.api.model.BlastRadius;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Relation;
import dev.mandate.api.model.RelationType;
import dev.mandate.kernel.model.internal.ModelIndex;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-memory model index on an estate of the shape of ../shared/bench: lookup by id, blast
 * radius of elements with at most 1,000 transitive dependents, one small commit on the full
 * index (structural sharing), and the bulk upsert of the whole estate into an empty index.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ModelIndexBenchmark {
    private static final Set<RelationType> BLAST = EnumSet.of(RelationType.DEPENDS_ON, RelationType.CONTAINS);

    @Param("1000000")
    int elements;

    @Param("800000")
    int extraConnections;

    private EstateGenerator.Estate estate;
    private ModelIndex index;
    private String[] ids;
    private String[] blastSample;
    private SplittableRandom random;
    private long revision;

    @Setup(Level.Trial)
    public void setUp() {
        estate = EstateGenerator.generate(elements, extraConnections, 7);
        index = load(estate);
        ids = estate.elements().stream().map(Element::id).toArray(String[]::new);
        random = new SplittableRandom(11);
        List<String> sample = new ArrayList<>();
        for (int tries = 0; sample.size() < 2_000 && tries < 200_000; tries++) {
            String id = ids[random.nextInt(ids.length)];
            BlastRadius radius = index.blastRadius(id, BLAST, 1_000);
            if (radius.count() >= 1 && !radius.truncated()) {
                sample.add(id);
            }
        }
        blastSample = sample.toArray(String[]::new);
        revision = index.revision();
        System.out.printf("%n[model] %d elements, %d relations, %d blast-radius samples%n", index.size(),
                index.relationCount(), blastSample.length);
    }

    static ModelIndex load(EstateGenerator.Estate estate) {
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        for (Element element : estate.elements()) {
            builder.put(element);
        }
        for (Relation relation : estate.relations()) {
            builder.putRelation(relation);
        }
        return builder.build(1);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object lookupById() {
        return index.element(ids[random.nextInt(ids.length)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public BlastRadius blastRadius() {
        return index.blastRadius(blastSample[random.nextInt(blastSample.length)], BLAST, 10_000);
    }

    /** One commit of one changed element and one new relation on the full index, without the database. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public ModelIndex smallCommit() {
        ModelIndex.Builder builder = index.toBuilder();
        Element element = estate.elements().get(random.nextInt(ids.length));
        builder.put(element);
        builder.putRelation(Relation.of(RelationType.CONNECTS_TO, element.id(), ids[random.nextInt(ids.length)]));
        return builder.build(++revision);
    }

    /** All elements (no relations) into an empty index: elements per second = elements / score. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 3)
    public ModelIndex bulkUpsertElements() {
        ModelIndex.Builder builder = ModelIndex.EMPTY.toBuilder();
        for (Element element : estate.elements()) {
            builder.put(element);
        }
        return builder.build(1);
    }
}
