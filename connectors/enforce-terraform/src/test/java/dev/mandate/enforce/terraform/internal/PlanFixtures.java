package dev.mandate.enforce.terraform.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;
import dev.mandate.api.enforcement.InvalidChangeException;
import dev.mandate.enforce.terraform.TerraformPlan;
import dev.mandate.terraform.ids.IdContext;

/** The shared plan fixtures, read in place, and adapters configured as in production. */
final class PlanFixtures {

    static final Path PLANS = Path.of("/work/shared/fixtures/terraform-plan");
    static final Actor TERRAFORM = new Actor("terraform", ActorKind.SYSTEM, null, List.of(), null, null);
    static final Set<String> UNGOVERNED = Set.of("null", "random", "time", "local", "tls", "terraform");

    private PlanFixtures() {
    }

    static TerraformPlanAdapter adapter() {
        return new TerraformPlanAdapter(new Settings(TERRAFORM, IdContext.EMPTY, UNGOVERNED));
    }

    static TerraformPlanAdapter adapter(IdContext defaults, Set<String> ungoverned) {
        return new TerraformPlanAdapter(new Settings(TERRAFORM, defaults, ungoverned));
    }

    static TerraformPlan plan(String file) {
        try (InputStream in = Files.newInputStream(PLANS.resolve(file))) {
            return TerraformPlan.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidChangeException e) {
            throw new AssertionError(file + " " + e.path() + ": " + e.getMessage(), e);
        }
    }

    static List<String> files() {
        try (var files = Files.list(PLANS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
