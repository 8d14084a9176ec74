package org.memoryvault.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.usecase.OwnerSeals;
import picocli.CommandLine.Command;

/**
 * {@code vault reseal}: the owner accepts the vault's state as it is now and seals it
 * (docs/FORMAT.md §12, docs/RECOVERY.md "Owner seal"). For after a hand edit of config.toml, a
 * crash between a ceremony and its seal, or a tamper the owner has looked at and repaired.
 */
@Command(name = "reseal", mixinStandardHelpOptions = true,
        description = "Owner only: show what disagrees with the newest owner seal, then seal the state as it is now.")
final class ResealCommand extends VaultCommand {
    @Override boolean checksOwnerSeal() { return false; }

    /** A config.toml with a key set aside (unknown or invalid) can still be accepted as it reads now. */
    @Override boolean repairsConfig() { return true; }

    @Override
    Result execute(Vault vault) {
        OwnerSeals.Accepted done = vault.component().ownerSeals().acceptProvingOwner();
        List<String> accepted = done.problems();
        long seq = done.seq();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", seq);
        out.put("accepted", accepted);
        StringBuilder text = new StringBuilder();
        accepted.forEach(p -> text.append("accepted: ").append(p).append('\n'));
        text.append("sealed the vault's state as owner seal ").append(seq);
        return new Result(out, text.toString());
    }
}
