/**
 * The Terraform plan gate: a plan ({@code terraform show -json <planfile>}) in, one decision per
 * resource change and a gate report out. Served at {@code POST /mandate/v1/enforce/terraform}.
 */
@Version("1.0.0")
@Export
package dev.mandate.enforce.terraform;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
