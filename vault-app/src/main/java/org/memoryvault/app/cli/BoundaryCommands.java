package org.memoryvault.app.cli;

import java.net.SocketException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.memoryvault.adapters.boundary.DaemonStatus;
import org.memoryvault.adapters.boundary.NetworkInterfaceBoundaryGuard;
import org.memoryvault.adapters.boundary.UnixSocketBoundaryGuard;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.port.BoundaryGuard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vault boundary status|discover}: what the configured boundary guard sees; where a daemon might listen. */
@Command(name = "boundary", mixinStandardHelpOptions = true, description = "Inspect the boundary guard.",
        subcommands = {BoundaryCommands.Status.class, BoundaryCommands.Discover.class})
final class BoundaryCommands {
    /** What the local guard cannot see; `status` says it every time. */
    static final String LOCAL_ADVISORY = "advisory only: the local guard sees the network interfaces of its own network"
            + " namespace, so a process started in another one (e.g. `unshare -rn`) sees none and counts as offline;"
            + " use boundary.guard = daemon for an enforced boundary";

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show the boundary daemon's mode, or the local guard's view of the network.",
                    "With boundary.guard = daemon it sends only the daemon's `status` command, which needs no token and uses",
                    "none of its rate limit."})
    static final class Status extends VaultCommand {
        @Override
        Result execute(Vault vault) {
            BoundaryGuard guard = vault.component().boundaryGuard();
            Map<String, Object> out = new LinkedHashMap<>();
            StringBuilder text = new StringBuilder();
            if (guard instanceof UnixSocketBoundaryGuard daemon) {
                out.put("guard", "daemon");
                out.put("advisory", false);
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
                out.put("advisory", true);
                out.put("advisory_reason", LOCAL_ADVISORY);
                List<String> online;
                try {
                    online = local.onlineInterfaces();
                } catch (SocketException e) {
                    online = List.of("(cannot list interfaces: counts as online)");
                }
                out.put("online_interfaces", online);
                out.put("online", !online.isEmpty());
                text.append("local guard: ").append(online.isEmpty() ? "offline (no non-loopback interface up)"
                        : "online via " + String.join(", ", online)).append("\n  ").append(LOCAL_ADVISORY);
            }
            if (guard instanceof NetworkInterfaceBoundaryGuard) {          // the daemon is not asked per level: that costs its rate limit
                Map<String, Object> levels = new LinkedHashMap<>();
                for (org.memoryvault.domain.usecase.BoundaryStatus.Level d : vault.component().boundaryStatus().execute()) {
                    int c = d.classification().level();
                    levels.put(Integer.toString(c), d.permitted());
                    text.append("\n  level ").append(c).append(": ").append(d.permitted() ? "permitted" : "refused (" + d.reason() + ")");
                }
                out.put("levels_permitted", levels);
            }
            return new Result(out, text.toString());
        }
    }

    @Command(name = "discover", mixinStandardHelpOptions = true,
            description = "Propose daemon sockets found at the usual places ($BOUNDARY_DAEMON_SOCKET, /var/run/boundary-daemon,"
                    + " ~/.agent-os/api, ./api). Prints only; the vault uses nothing but boundary.socket.")
    static final class Discover implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            VaultCli root = (VaultCli) spec.root().userObject();
            List<Path> found = UnixSocketBoundaryGuard.proposeSockets(root.io.env(), Path.of(System.getProperty("user.home")),
                    Path.of("").toAbsolutePath());
            StringBuilder text = new StringBuilder();
            if (found.isEmpty()) {
                text.append("no daemon socket found at the usual places; set boundary.socket to the path the daemon listens on");
            } else {
                text.append("candidate daemon sockets (nothing was written; choose one and set it yourself):");
                found.forEach(p -> text.append("\n  ").append(p));
                text.append("\nvault config set boundary.socket ").append(found.get(0));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("candidates", found.stream().map(Path::toString).toList());
            out.put("written", false);
            root.io.out().println(root.json ? Json.write(out) : text.toString());
            return 0;
        }
    }
}
