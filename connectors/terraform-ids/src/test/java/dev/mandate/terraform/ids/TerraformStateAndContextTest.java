package dev.mandate.terraform.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

class TerraformStateAndContextTest {

    @Test
    void readsInstancesWithModuleAndIndexAddresses() throws IOException {
        TerraformState state;
        try (InputStream in = Files.newInputStream(
                FixtureSupport.FIXTURES.resolve("terraform-state/driftctl_aws_module_iam_user.tfstate"))) {
            state = TerraformState.read(in);
        }
        assertThat(state.terraformVersion()).isEqualTo("0.14.4");
        assertThat(state.resources()).extracting(TerraformState.Instance::address).containsExactly(
                "module.iam_iam-user.aws_iam_access_key.this_no_pgp[0]", "module.iam_iam-user.aws_iam_user.this[0]");
        assertThat(state.resources().get(1).module()).isEqualTo("module.iam_iam-user");
        assertThat(state.resources().get(1).attributes()).containsEntry("name", "MODULE-USER");
    }

    @Test
    void dataSourcesAreReadButNotManaged() throws IOException {
        try (InputStream in = Files.newInputStream(FixtureSupport.FIXTURES.resolve("terraform-state/driftctl_azurerm_nsg.tfstate"))) {
            TerraformState.Instance data = TerraformState.read(in).resources().get(0);
            assertThat(data.address()).isEqualTo("data.azurerm_resource_group.raphael-dev");
            assertThat(data.isManaged()).isFalse();
        }
    }

    @Test
    void refusesOtherStateVersions() {
        InputStream v3 = new ByteArrayInputStream("{\"version\":3,\"modules\":[]}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> TerraformState.read(v3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported terraform state version '3' (supported: 4)");
    }

    @Test
    void contextsNormaliseAndFillGaps() {
        IdContext caller = new IdContext(" ", "EU-WEST-1", null);
        IdContext merged = caller.orElse(new IdContext("111122223333", "us-east-1", "ABC-DEF"));
        assertThat(merged).isEqualTo(new IdContext("111122223333", "eu-west-1", "abc-def"));
        assertThat(IdContext.EMPTY.orElse(null)).isEqualTo(IdContext.EMPTY);
    }
}
