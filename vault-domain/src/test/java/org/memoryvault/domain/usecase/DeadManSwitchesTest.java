package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.DeadManSwitch;
import org.memoryvault.domain.model.Heir;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.port.DeadManRepository;
import org.memoryvault.domain.port.HeirPackager;
import org.memoryvault.domain.testing.InMemoryVault;

/**
 * The dead-man switch's use case on a clock the test moves (issue 14): release refuses before the
 * deadline and hands out every heir's package after it; a check-in moves the deadline; each step is
 * audited; an heir whose recipient was swapped in storage stops the owner's check-in and gets nothing.
 * The packager here only records what it was given (the age one is tested by DmsCliIT with the age tool).
 */
class DeadManSwitchesTest {
    private InMemoryVault vault;
    private final MapRepository repo = new MapRepository();
    private final List<String> sealedFor = new ArrayList<>();
    private DeadManSwitches dms;

    /** Packages are "heir:recipient:contents": enough to see who got what. */
    private final HeirPackager packager = (heirs, manifest, items) -> {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Heir h : heirs) {
            StringBuilder b = new StringBuilder(h.name()).append(':').append(h.recipient()).append(':');
            for (HeirPackager.Item i : items) b.append(new String(i.content().revealForCrypto(), StandardCharsets.UTF_8)).append(';');
            sealedFor.add(h.recipient());
            out.put(h.name(), b.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    };

    @BeforeEach
    void setUp() {
        vault = InMemoryVault.create();
        vault.createDefaultProfile();
        dms = new DeadManSwitches(repo, packager, vault.recallMemory(), vault.ownerProof(), vault.presence(), vault.sealer(), vault.state(),
                vault.audit(), vault.clock());
    }

    private Map<String, String> release() {
        Map<String, String> got = new TreeMap<>();
        dms.release((heir, file) -> got.put(heir, new String(file, StandardCharsets.UTF_8)));
        return got;
    }

    @Test
    void releaseWaitsForTheDeadline_aCheckinMovesIt_andEveryStepIsAudited() {
        MemoryId a = vault.store("the will is in the drawer", Classification.ofLevel(1));
        MemoryId b = vault.store("the password manager's code", Classification.ofLevel(2));
        dms.addHeir("alice", "age1alice");
        dms.addHeir("bob", "age1bob");
        assertThatThrownBy(() -> dms.arm(Duration.ofDays(7), List.of(a, a), "x")).isInstanceOf(InvalidInputException.class);
        DeadManSwitch armed = dms.arm(Duration.ofDays(7), List.of(a, b), "for the family");
        assertThat(armed.deadline()).isEqualTo(vault.clock().instant().plus(Duration.ofDays(7)));

        vault.clock().advance(Duration.ofDays(6));
        assertThatThrownBy(this::release).isInstanceOf(InvalidInputException.class).hasMessageContaining("not triggered");
        DeadManSwitches.CheckIn in = dms.checkin();             // day 6: the deadline moves to day 13
        assertThat(in.notPrepared()).isEmpty();
        vault.clock().advance(Duration.ofDays(6));              // day 12: would have fired without the check-in
        assertThat(dms.status().triggered()).isFalse();
        assertThatThrownBy(this::release).isInstanceOf(InvalidInputException.class);

        vault.clock().advance(Duration.ofDays(1));              // day 13: exactly at the deadline
        assertThat(dms.status().triggered()).isTrue();
        Map<String, String> got = release();
        assertThat(got).containsOnlyKeys("alice", "bob");
        assertThat(got.get("alice")).startsWith("alice:age1alice:").contains("the will is in the drawer").contains("the password manager's code");
        for (String type : List.of(AuditEvent.DMS_HEIR_ADD, AuditEvent.DMS_ARM, AuditEvent.DMS_CHECKIN, AuditEvent.DMS_RELEASE)) {
            assertThat(vault.audit().eventsOfType(type)).as(type).isNotEmpty();
        }
        dms.disarm();
        assertThat(dms.status().armed()).isEmpty();
        assertThatThrownBy(this::release).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aRecipientSwappedInStorage_stopsTheCheckin_andIsNeverSealedTo() {
        MemoryId a = vault.store("only for alice", Classification.ofLevel(1));
        dms.addHeir("alice", "age1alice");
        dms.arm(Duration.ofDays(7), List.of(a), "for alice");
        repo.heirs.put("alice", new Heir("alice", "age1mallory", repo.heirs.get("alice").addedAt(), repo.heirs.get("alice").signature()));
        sealedFor.clear();

        assertThatThrownBy(() -> dms.checkin()).isInstanceOfSatisfying(IntegrityException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_TAMPERED)).hasMessageContaining("heir alice");
        assertThatThrownBy(() -> dms.addHeir("bob", "age1bob")).isInstanceOf(IntegrityException.class);
        assertThat(sealedFor).doesNotContain("age1mallory");
        // a switch planted in storage (no owner's signature) is refused the same way
        repo.heirs.put("alice", new Heir("alice", "age1alice", repo.heirs.get("alice").addedAt(), repo.heirs.get("alice").signature()));
        DeadManSwitch real = repo.current().orElseThrow();
        repo.state = Optional.of(new DeadManSwitch(real.armedAt(), Duration.ofMillis(1), real.deadline(), real.memories(), real.justification(),
                real.lastCheckin(), real.preparedAt(), real.signature()));
        assertThatThrownBy(() -> dms.checkin()).isInstanceOf(IntegrityException.class).hasMessageContaining("interval");
    }

    /** The repository port in memory. */
    static final class MapRepository implements DeadManRepository {
        Optional<DeadManSwitch> state = Optional.empty();
        final Map<String, Heir> heirs = new TreeMap<>();
        final Map<String, byte[]> packages = new TreeMap<>();

        @Override public Optional<DeadManSwitch> current() { return state; }
        @Override public void save(DeadManSwitch armed) { state = Optional.of(armed); }
        @Override public void disarm() { state = Optional.empty(); packages.clear(); }
        @Override public List<Heir> heirs() { return List.copyOf(heirs.values()); }
        @Override public void addHeir(Heir heir) {
            if (heirs.putIfAbsent(heir.name(), heir) != null) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "exists");
        }
        @Override public boolean removeHeir(String name) { packages.remove(name); return heirs.remove(name) != null; }
        @Override public void putPackage(String heir, byte[] ageFile) { packages.put(heir, ageFile.clone()); }
        @Override public Optional<byte[]> packageOf(String heir) { return Optional.ofNullable(packages.get(heir)).map(byte[]::clone); }
    }
}
