package org.memoryvault.adapters.boundary;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.port.BoundaryGuard;

/**
 * The built-in local guard: the machine is "online" while any non-loopback network interface is
 * up. Levels whose requirements say {@code networkOff} are refused while online.
 *
 * <p>Security: fail-closed; if the interfaces cannot be listed, the machine counts as online.
 * This guard is advisory: it sees only the interfaces of its own network namespace, so a process
 * started in another one (for instance with {@code unshare -rn}) sees none and counts as offline
 * while the machine is online; nor does it see a network reached some other way (a USB modem the
 * kernel does not expose). The boundary daemon is the enforced guard.
 */
public final class NetworkInterfaceBoundaryGuard implements BoundaryGuard {
    /** Lists the names of the interfaces that are up and not loopback. Throws when it cannot tell. */
    @FunctionalInterface
    public interface InterfaceLister {
        List<String> activeNonLoopback() throws SocketException;
    }

    private final InterfaceLister lister;
    private final Set<String> ignored;

    public NetworkInterfaceBoundaryGuard(InterfaceLister lister, Set<String> ignoredInterfaces) {
        this.lister = Objects.requireNonNull(lister, "lister");
        this.ignored = Set.copyOf(ignoredInterfaces);
    }

    /** A guard over the machine's real interfaces ({@link NetworkInterface}). */
    public static NetworkInterfaceBoundaryGuard ofSystem(Set<String> ignoredInterfaces) {
        return new NetworkInterfaceBoundaryGuard(NetworkInterfaceBoundaryGuard::systemInterfaces, ignoredInterfaces);
    }

    static List<String> systemInterfaces() throws SocketException {
        List<String> up = new ArrayList<>();
        Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
        if (all == null) return up;
        while (all.hasMoreElements()) {
            NetworkInterface nif = all.nextElement();
            if (nif.isUp() && !nif.isLoopback()) up.add(nif.getName());
        }
        return up;
    }

    /** The interfaces that make the machine count as online (empty when offline). */
    public List<String> onlineInterfaces() throws SocketException {
        return lister.activeNonLoopback().stream().filter(n -> !ignored.contains(n)).sorted().toList();
    }

    @Override
    public Decision check(Classification level) {
        if (!level.requirements().networkOff()) {
            return Decision.permit("level " + level.level() + " does not require the network to be off");
        }
        List<String> online;
        try {
            online = onlineInterfaces();
        } catch (SocketException e) {
            return Decision.refuse("cannot list network interfaces, so the machine counts as online");
        }
        if (online.isEmpty()) return Decision.permit("no network interface is up");
        return Decision.refuse("level " + level.level() + " needs the network off, but interfaces are up: "
                + String.join(", ", online));
    }
}
