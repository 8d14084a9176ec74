package org.memoryvault.adapters.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.port.BoundaryGuard.Decision;

class NetworkInterfaceBoundaryGuardTest {
    private static NetworkInterfaceBoundaryGuard online(String... interfaces) {
        return new NetworkInterfaceBoundaryGuard(() -> List.of(interfaces), Set.of());
    }

    @ParameterizedTest
    @EnumSource(value = Classification.class, names = {"SEALED", "VAULTED", "BLACK"})
    void check_offline_permitsLevelsThatNeedTheNetworkOff(Classification level) {
        assertThat(online().check(level)).isEqualTo(Decision.permit("no network interface is up"));
    }

    @ParameterizedTest
    @EnumSource(value = Classification.class, names = {"SEALED", "VAULTED", "BLACK"})
    void check_online_refusesLevelsThatNeedTheNetworkOff_namingTheInterfaces(Classification level) {
        Decision d = online("wlan0", "eth0").check(level);
        assertThat(d.permitted()).isFalse();
        assertThat(d.reason()).isEqualTo("level " + level.level() + " needs the network off, but interfaces are up: eth0, wlan0");
    }

    @ParameterizedTest
    @EnumSource(value = Classification.class, names = {"EPHEMERAL", "WORKING", "PRIVATE"})
    void check_levelsThatDoNotNeedTheNetworkOff_arePermittedEvenOnline_withoutListing(Classification level) {
        AtomicInteger listed = new AtomicInteger();
        NetworkInterfaceBoundaryGuard guard = new NetworkInterfaceBoundaryGuard(() -> {
            listed.incrementAndGet();
            throw new SocketException("must not be asked");
        }, Set.of());
        assertThat(guard.check(level)).isEqualTo(Decision.permit("level " + level.level() + " does not require the network to be off"));
        assertThat(online("eth0").check(level).permitted()).isTrue();
        assertThat(listed).hasValue(0);
    }

    @Test
    void check_ignoredInterfaces_doNotCountAsOnline() {
        NetworkInterfaceBoundaryGuard guard = new NetworkInterfaceBoundaryGuard(() -> List.of("virbr0", "docker0"),
                Set.of("virbr0", "docker0"));
        assertThat(guard.check(Classification.VAULTED).permitted()).isTrue();
    }

    @Test
    void check_ignoreList_leavesOtherInterfacesCounted() throws SocketException {
        NetworkInterfaceBoundaryGuard guard = new NetworkInterfaceBoundaryGuard(() -> List.of("virbr0", "eth0"), Set.of("virbr0"));
        assertThat(guard.check(Classification.SEALED))
                .isEqualTo(Decision.refuse("level 3 needs the network off, but interfaces are up: eth0"));
        assertThat(guard.onlineInterfaces()).containsExactly("eth0");
    }

    @ParameterizedTest
    @EnumSource(value = Classification.class, names = {"SEALED", "VAULTED", "BLACK"})
    void check_whenInterfacesCannotBeListed_refuses(Classification level) {
        NetworkInterfaceBoundaryGuard guard = new NetworkInterfaceBoundaryGuard(() -> {
            throw new SocketException("netlink unavailable");
        }, Set.of());
        assertThat(guard.check(level))
                .isEqualTo(Decision.refuse("cannot list network interfaces, so the machine counts as online"));
    }

    @Test
    void check_asksTheListerEveryTime() {
        List<List<String>> answers = new ArrayList<>(List.of(List.of(), List.of("eth0")));
        NetworkInterfaceBoundaryGuard guard = new NetworkInterfaceBoundaryGuard(() -> answers.remove(0), Set.of());
        assertThat(guard.check(Classification.BLACK).permitted()).isTrue();
        assertThat(guard.check(Classification.BLACK).permitted()).isFalse();
    }

    @Test
    void ignoredInterfaces_areCopied() {
        Set<String> ignore = new java.util.HashSet<>(Set.of("eth0"));
        NetworkInterfaceBoundaryGuard guard = new NetworkInterfaceBoundaryGuard(() -> List.of("eth0"), ignore);
        ignore.clear();
        assertThat(guard.check(Classification.SEALED).permitted()).isTrue();
    }
}
