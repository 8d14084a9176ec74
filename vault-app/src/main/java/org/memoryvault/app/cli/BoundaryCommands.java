package org.memoryvault.app.cli;

import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memoryvault.adapters.boundary.DaemonStatus;
import org.memoryvault.adapters.boundary.NetworkInterfaceBoundaryGuard;
import org.memoryvault.adapters.boundary.UnixSocketBoundaryGuard;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.port.BoundaryGuard;
import picocli.CommandLine.Command;

/** {@code vault boundary status}: what the configured boundary guard sees. */
@Command(name = "boundary", mixinStandardHelpOptions = true, description = "Inspect the boundary guard.",
        subcommands = {BoundaryCommands.Status.class})
final class BoundaryCommands {
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The daemon's mode (boundary.guard = daemon) or the local guard's view of the network.")
    static final class Status extends VaultCommand {
        @Override
        Result execute(Vault vault) {
            BoundaryGuard guard = vault.component().boundaryGuard();
            Map<String, Object> out = new LinkedHashMap<>();
            StringBuilder text = new StringBuilder();
            if (guard instanceof UnixSocketBoundaryGuard daemon) {
                out.put("guard", "daemon");
                out.put("socket", daemon.socketPath().map(Object::toString).orElse(null));
                DaemonStatus status = daemon.status();
                if (status instanceof DaemonStatus.Running r) {
                    out.put("mode", r.mode());
                    out.put("network", r.network());
                    out.put("lockdown", r.lockdown());
                    text.append("boundary daemon: mode ").append(r.mode()).append(", network ").append(r.network())
                            .append(r.lockdown() ? ", in lockdown" : "");
                } else {
                    String reason = ((DaemonStatus.Unavailable) status).reason();
                    out.put("unavailable", reason);
                    text.append("boundary daemon unavailable: ").append(reason).append(" (every recall is refused)");
                }
            } else if (guard instanceof NetworkInterfaceBoundaryGuard local) {
                out.put("guard", "local");
                List<String> online;
                try {
                    online = local.onlineInterfaces();
                } catch (SocketException e) {
                    online = List.of("(cannot list interfaces: counts as online)");
                }
                out.put("online_interfaces", online);
                out.put("online", !online.isEmpty());
                text.append("local guard: ").append(online.isEmpty() ? "offline (no non-loopback interface up)"
                        : "online via " + String.join(", ", online));
            }
            Map<String, Object> levels = new LinkedHashMap<>();
            for (Classification c : Classification.values()) {
                BoundaryGuard.Decision d = guard.check(c);
                levels.put(Integer.toString(c.level()), d.permitted());
                text.append("\n  level ").append(c.level()).append(": ").append(d.permitted() ? "permitted" : "refused (" + d.reason() + ")");
            }
            out.put("levels_permitted", levels);
            return new Result(out, text.toString());
        }
    }
}
