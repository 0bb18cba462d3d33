/**
 * Element ids for Terraform resources: maps a resource of the {@code aws} or {@code azurerm} provider
 * (its type and attributes, from a state file or a plan) to the id the canonical model gives the same
 * thing, so that what Terraform built (the BUILT layer) and what cloud connectors observe (RUNNING)
 * meet on one element. The scheme is documented in {@code docs/ids.md}.
 */
@Version("1.0.0")
@Export
package dev.mandate.terraform.ids;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
