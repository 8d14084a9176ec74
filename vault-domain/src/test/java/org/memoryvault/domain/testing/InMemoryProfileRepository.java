package org.memoryvault.domain.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.ProfileRepository;

/**
 * A {@link ProfileRepository} in a sorted map; profiles list by name, slots by slot id. Unknown
 * profiles and slots are {@code NOT_FOUND_*}. Takes part in {@link InMemoryTransactions}.
 */
public final class InMemoryProfileRepository implements ProfileRepository, InMemoryTransactions.Participant {
    private final Map<String, Profile> profiles = new TreeMap<>();
    private final Map<String, List<KeySlot>> deviceSlots = new TreeMap<>();
    private final Map<String, PendingRekey> rekeys = new TreeMap<>();

    @Override
    public synchronized void create(Profile profile) {
        Objects.requireNonNull(profile, "profile");
        if (profiles.containsKey(profile.id().value())) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "profile " + profile.id() + " exists", null);
        }
        profiles.put(profile.id().value(), sorted(profile, profile.slots()));
    }

    @Override
    public synchronized Optional<Profile> find(ProfileId id) { return Optional.ofNullable(profiles.get(id.value())); }

    @Override
    public synchronized List<Profile> list() { return List.copyOf(profiles.values()); }

    @Override
    public synchronized void addSlot(ProfileId id, KeySlot slot) {
        Profile p = existing(id);
        if (p.slot(slot.slotId()).isPresent()) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "slot " + slot.slotId() + " exists", null);
        }
        List<KeySlot> slots = new ArrayList<>(p.slots());
        slots.add(slot);
        profiles.put(id.value(), sorted(p, slots));
    }

    @Override
    public synchronized void removeSlot(ProfileId id, int slotId) {
        Profile p = existing(id);
        existingSlot(p, slotId);
        profiles.put(id.value(), sorted(p, p.slots().stream().filter(s -> s.slotId() != slotId).toList()));
    }

    @Override
    public synchronized void updateLocks(ProfileId id, org.memoryvault.domain.model.TierLocks locks) {
        Profile p = existing(id);
        profiles.put(id.value(), new Profile(p.id(), p.createdAt(), p.keyVersion(), p.slots(), locks));
    }

    @Override
    public synchronized void replaceSlot(ProfileId id, KeySlot slot) {
        Profile p = existing(id);
        existingSlot(p, slot.slotId());
        List<KeySlot> slots = new ArrayList<>(p.slots().stream().filter(s -> s.slotId() != slot.slotId()).toList());
        slots.add(slot);
        profiles.put(id.value(), sorted(p, slots));
    }

    @Override
    public synchronized List<KeySlot> deviceSlots(ProfileId id) {
        existing(id);
        return List.copyOf(deviceSlots.getOrDefault(id.value(), List.of()));
    }

    @Override
    public synchronized void addDeviceSlot(ProfileId id, KeySlot slot) {
        existing(id);
        List<KeySlot> slots = new ArrayList<>(deviceSlots.getOrDefault(id.value(), List.of()));
        if (slots.stream().anyMatch(s -> s.slotId() == slot.slotId())) {
            throw new InternalVaultException(ErrorCode.INTERNAL_STORAGE, "device slot " + slot.slotId() + " exists", null);
        }
        slots.add(slot);
        slots.sort(Comparator.comparingInt(KeySlot::slotId));
        deviceSlots.put(id.value(), slots);
    }

    @Override
    public synchronized void removeDeviceSlot(ProfileId id, int slotId) {
        List<KeySlot> slots = new ArrayList<>(deviceSlots(id));
        if (!slots.removeIf(s -> s.slotId() == slotId)) {
            throw new NotFoundException(ErrorCode.NOT_FOUND_SLOT, "profile " + id + " has no device slot " + slotId);
        }
        deviceSlots.put(id.value(), slots);
    }

    @Override
    public synchronized java.util.Optional<PendingRekey> pendingRekey(ProfileId id) {
        return java.util.Optional.ofNullable(rekeys.get(id.value()));
    }

    @Override
    public synchronized void startRekey(ProfileId id, PendingRekey rekey) {
        existing(id);
        if (rekeys.containsKey(id.value())) {
            throw new org.memoryvault.domain.error.InvalidInputException(ErrorCode.INPUT_STATE, "profile " + id + " is already being re-keyed");
        }
        rekeys.put(id.value(), rekey);
    }

    @Override
    public synchronized void finishRekey(ProfileId id, int keyVersion) {
        Profile p = existing(id);
        profiles.put(id.value(), new Profile(p.id(), p.createdAt(), keyVersion, p.slots(), p.locks()));
        rekeys.remove(id.value());
    }

    private static Profile sorted(Profile p, List<KeySlot> slots) {
        List<KeySlot> ordered = new ArrayList<>(slots);
        ordered.sort(Comparator.comparingInt(KeySlot::slotId));
        return new Profile(p.id(), p.createdAt(), p.keyVersion(), ordered, p.locks());
    }

    private Profile existing(ProfileId id) {
        Profile p = profiles.get(id.value());
        if (p == null) throw new NotFoundException(ErrorCode.NOT_FOUND_PROFILE, "no profile named " + id);
        return p;
    }

    private static void existingSlot(Profile p, int slotId) {
        if (p.slot(slotId).isEmpty()) {
            throw new NotFoundException(ErrorCode.NOT_FOUND_SLOT, "profile " + p.id() + " has no key slot " + slotId);
        }
    }

    @Override
    public synchronized Runnable snapshot() {
        Map<String, Profile> saved = new TreeMap<>(profiles);
        Map<String, List<KeySlot>> savedDevices = new TreeMap<>(deviceSlots);
        Map<String, PendingRekey> savedRekeys = new TreeMap<>(rekeys);
        return () -> {
            synchronized (this) {
                rekeys.clear();
                rekeys.putAll(savedRekeys);
                profiles.clear();
                profiles.putAll(saved);
                deviceSlots.clear();
                deviceSlots.putAll(savedDevices);
            }
        };
    }
}
