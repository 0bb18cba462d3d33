package dev.mandate.benchmarks.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.mandate.benchmarks.ScratchFolder;
import dev.mandate.api.model.ChangeSet;
import dev.mandate.api.model.Element;
import dev.mandate.api.model.Layer;
import dev.mandate.api.model.ModelUnavailableException;
import dev.mandate.api.model.Relation;
import dev.mandate.kernel.model.internal.ModelStoreImpl;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable commits through the model store: each invocation commits {@value #ELEMENTS} new elements
 * of the generated estate with their relations, in change sets of {@code batch} elements, to a fresh
 * database (H2 file with the URL options of the distribution, one connection held open as its pool
 * does, or an embedded PostgreSQL 14). The score is in elements per second.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@BenchmarkMode(Mode.SingleShotTime)
public class ModelCommitBenchmark {
    static final int ELEMENTS = 100_000;

    @Param({"h2", "postgresql"})
    String database;

    @Param("10000")
    int batch;

    /** PostgreSQL only: the driver's reWriteBatchedInserts, which turns a batch into multi-row inserts. */
    @Param("false")
    boolean rewriteBatchedInserts;

    private EstateGenerator.Estate estate;
    private EmbeddedPostgres postgres;
    private DataSource dataSource;
    private ModelStoreImpl store;
    private Connection held;
    private Path folder;
    private int run;

    @Setup(Level.Trial)
    public void generate() throws Exception {
        estate = EstateGenerator.generate(ELEMENTS, 0, 7);
        if ("postgresql".equals(database)) {
            // zonky's embedded PostgreSQL sets synchronous_commit=off unless told otherwise: durable means on
            postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
        }
        folder = ScratchFolder.create("mandate-commit-bench");
    }

    @Setup(Level.Invocation)
    public void freshStore() throws Exception {
        run++;
        if ("postgresql".equals(database)) {
            dataSource = freshPostgres(postgres, rewriteBatchedInserts);
        } else {
            dataSource = h2File(folder.resolve("run-" + run));
        }
        // held for the life of the store, as the distribution's connection pool holds one
        held = dataSource.getConnection();
        store = loadedStore(dataSource);
    }

    /** An empty schema on the embedded PostgreSQL. */
    static DataSource freshPostgres(EmbeddedPostgres postgres, boolean rewriteBatchedInserts) throws SQLException {
        DataSource dataSource = postgres.getPostgresDatabase(
                Map.of("reWriteBatchedInserts", Boolean.toString(rewriteBatchedInserts)));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
        return dataSource;
    }

    /**
     * A new H2 file database with the URL options of the distribution's etc/org.ops4j.datasource-mandate.cfg,
     * plus those of the system property {@code h2.settings} (e.g. {@code ;PAGE_SIZE=16384}) for experiments.
     */
    static DataSource h2File(Path file) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"
                + System.getProperty("h2.settings", ""));
        h2.setUser("sa");
        h2.setPassword("");
        return h2;
    }

    /** A store over {@code dataSource} once it has loaded. */
    static ModelStoreImpl loadedStore(DataSource dataSource) {
        return loadedStore(dataSource, null);
    }

    /** A store over {@code dataSource} once it has loaded, with the commit journal on, off or by default (null). */
    static ModelStoreImpl loadedStore(DataSource dataSource, Boolean journal) {
        ModelStoreImpl store = new ModelStoreImpl(dataSource, Clock.systemUTC(), 0, journal);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                store.current();
                return store;
            } catch (ModelUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }

    @TearDown(Level.Invocation)
    public void closeStore() throws SQLException {
        store.close();
        held.close();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long commitElements() {
        return commitAll(store, estate, batch);
    }

    /** Commits the estate's elements with their relations in change sets of {@code batch}; returns the last revision. */
    static long commitAll(ModelStoreImpl store, EstateGenerator.Estate estate, int batch) {
        List<Element> elements = estate.elements();
        List<Relation> relations = estate.relations();
        int relationAt = 0;
        long revision = 0;
        for (int from = 0; from < elements.size(); from += batch) {
            int to = Math.min(elements.size(), from + batch);
            // relations of the generated estate point backwards, so those of this slice can go with it
            int relationEnd = relationAt;
            while (relationEnd < relations.size() && indexOf(relations.get(relationEnd)) <= to - 1) {
                relationEnd++;
            }
            revision = store.commit(new ChangeSet("bench", Layer.RUNNING, elements.subList(from, to), List.of(),
                    relations.subList(relationAt, relationEnd), List.of())).revision();
            relationAt = relationEnd;
        }
        return revision;
    }

    /** The generator's ordinal of the newer end of a relation (ids end in r-&lt;ordinal&gt;). */
    private static int indexOf(Relation relation) {
        return Math.max(ordinal(relation.from()), ordinal(relation.to()));
    }

    private static int ordinal(String id) {
        return Integer.parseInt(id.substring(id.lastIndexOf("r-") + 2));
    }
}
