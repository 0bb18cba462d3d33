package dev.mandate.kernel.shell.command;

import dev.mandate.api.evidence.EvidenceLedger;
import dev.mandate.api.evidence.VerificationResult;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "mandate", name = "evidence-verify", description = "Recomputes every hash and link of the evidence ledger")
@Service
public class EvidenceVerifyCommand implements Action {

    @Reference
    EvidenceLedger ledger;

    @Override
    public Object execute() {
        VerificationResult result = ledger.verify();
        if (result.valid()) {
            System.out.printf("ledger verified: %d records, every hash and link holds%n", result.checked());
        } else {
            System.out.printf("ledger INVALID at record %d: %s (%d records checked)%n", result.firstInvalid(),
                    result.problem(), result.checked());
        }
        return null;
    }
}
