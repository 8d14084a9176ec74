package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.Escrow;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.KeyEscrow;

/**
 * Escrow of an owner key (docs/FORMAT.md §15) with real age files: any k of the n holders' share
 * documents give the key back, k-1 do not, and a share with one byte changed, or of another
 * escrow, is refused naming that share.
 */
class SodiumKeyEscrowProperties {
    private static final ProfileId PROFILE = ProfileId.of("default");
    private final SodiumSealer sealer = new SodiumSealer(Libsodium.sharedBinding());
    private final SodiumKeyEscrow escrow = new SodiumKeyEscrow(new java.security.SecureRandom());

    record Made(DataKey owner, Escrow escrow, List<KeyEscrow.ShareDocument> documents) {}

    static KeyPair pair() {
        try {
            return new X25519KeyPairGenerator().generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** What `age -d -i` does: the age file decrypted with the holder's identity. */
    static byte[] decrypt(byte[] file, KeyPair holder) throws Exception {
        return Channels.newInputStream(new StandardDecryptingChannelFactory().newDecryptingChannel(
                Channels.newChannel(new ByteArrayInputStream(file)),
                List.of(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(holder.getPrivate().toString())))).readAllBytes();
    }

    Made make(DataKey owner, int k, int n) throws Exception {
        List<KeyPair> pairs = new ArrayList<>();
        List<KeyEscrow.Recipient> recipients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pairs.add(pair());
            recipients.add(new KeyEscrow.Recipient("holder-" + i, pairs.get(i).getPublic().toString()));
        }
        KeyEscrow.Split split = escrow.split(owner, k, recipients, Instant.EPOCH);
        List<KeyEscrow.ShareDocument> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) docs.add(new KeyEscrow.ShareDocument("share-" + i + ".txt", decrypt(split.shareFiles().get(i), pairs.get(i))));
        return new Made(owner, split.escrow(), docs);
    }

    static List<KeyEscrow.ShareDocument> pick(List<KeyEscrow.ShareDocument> docs, int count, Random r) {
        List<KeyEscrow.ShareDocument> shuffled = new ArrayList<>(docs);
        Collections.shuffle(shuffled, r);
        return shuffled.subList(0, count);
    }

    DataKey recover(Made m, List<KeyEscrow.ShareDocument> docs) {
        return escrow.recover(docs, id -> id.equals(m.escrow().id()) ? Optional.of(m.escrow()) : Optional.empty());
    }

    @Property(tries = 40)
    void anyKOfTheShares_recoverTheOwnerKey_andKMinusOneDoNot(@ForAll @IntRange(min = 2, max = 6) int k,
                                                            @ForAll @IntRange(min = 0, max = 3) int extra, @ForAll long seed) throws Exception {
        Random r = new Random(seed);
        int n = k + extra;
        try (DataKey owner = sealer.newDataKey(PROFILE, 1 + r.nextInt(3))) {
            Made m = make(owner, k, n);
            assertThat(new String(m.documents().get(0).text(), java.nio.charset.StandardCharsets.UTF_8))
                    .startsWith("memory-vault/escrow-share/1\n").contains("threshold: " + k).contains("shares: " + n);
            try (DataKey back = recover(m, pick(m.documents(), k + r.nextInt(n - k + 1), r))) {
                assertThat(back.isOwner()).isTrue();
                assertThat(back.keyVersion()).isEqualTo(owner.keyVersion());
                assertThat(sealer.ownerSealKey(back)).isEqualTo(sealer.ownerSealKey(owner));
                assertThat(SodiumDataKey.copyOf(back)).isEqualTo(SodiumDataKey.copyOf(owner));
                sealer.requireAuthentic(back, sealer.locks(owner, false));
            }
            assertThatThrownBy(() -> recover(m, pick(m.documents(), k - 1, r))).isInstanceOf(VaultException.class)
                    .hasMessageContaining("needs " + k);
        }
    }

    @Property(tries = 10)
    void sharesHandedBackWithCrlfOrWithoutTheirLastNewline_stillRecover(@ForAll @IntRange(min = 2, max = 4) int k) throws Exception {
        try (DataKey owner = sealer.newDataKey(PROFILE, 1)) {
            Made m = make(owner, k, k);
            List<KeyEscrow.ShareDocument> mangled = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                String text = new String(m.documents().get(i).text(), java.nio.charset.StandardCharsets.UTF_8);
                String changed = i % 2 == 0 ? text.replace("\n", "\r\n") : text.substring(0, text.length() - 1);
                mangled.add(new KeyEscrow.ShareDocument("share-" + i, changed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            try (DataKey back = recover(m, mangled)) {
                assertThat(sealer.ownerSealKey(back)).isEqualTo(sealer.ownerSealKey(owner));
            }
        }
    }

    @Property(tries = 60)
    void aShareWithOneByteChanged_isRefusedAndNamed(@ForAll @IntRange(min = 2, max = 5) int k, @ForAll long seed) throws Exception {
        Random r = new Random(seed);
        try (DataKey owner = sealer.newDataKey(PROFILE, 1)) {
            Made m = make(owner, k, k + 1);
            List<KeyEscrow.ShareDocument> chosen = new ArrayList<>(pick(m.documents(), k, r));
            int victim = r.nextInt(k);
            byte[] text = chosen.get(victim).text();
            text[r.nextInt(text.length)] ^= (byte) (1 + r.nextInt(255));
            String name = chosen.get(victim).source();
            chosen.set(victim, new KeyEscrow.ShareDocument(name, text));
            assertThatThrownBy(() -> recover(m, chosen)).isInstanceOf(VaultException.class).hasMessageContaining(name);
        }
    }

    @Property(tries = 20)
    void anEscrowRowEdited_neverYieldsAKey(@ForAll @IntRange(min = 2, max = 4) int k, @ForAll @IntRange(min = 0, max = 2) int edit)
            throws Exception {
        try (DataKey owner = sealer.newDataKey(PROFILE, 1)) {
            Made m = make(owner, k, k + 1);
            Escrow e = m.escrow();
            // what a same-user agent can write into vault.db: another key version (to pass a re-key), a lower threshold, another profile
            Escrow edited = switch (edit) {
                case 0 -> new Escrow(e.id(), e.profile(), e.keyVersion() + 1, e.threshold(), e.secretCommitment(), e.createdAt(), e.holders());
                case 1 -> new Escrow(e.id(), e.profile(), e.keyVersion(), k == 2 ? 2 : k - 1, e.secretCommitment(), e.createdAt(), e.holders());
                default -> new Escrow(e.id(), ProfileId.of("work"), e.keyVersion(), e.threshold(), e.secretCommitment(), e.createdAt(), e.holders());
            };
            if (edit == 1 && k == 2) return;       // no lower threshold than 2 exists
            assertThatThrownBy(() -> escrow.recover(m.documents(), id -> Optional.of(edited))).isInstanceOf(VaultException.class);
        }
    }

    @Property(tries = 20)
    void aShareOfAnotherEscrow_orTheSameShareTwice_isNamed(@ForAll @IntRange(min = 2, max = 4) int k, @ForAll long seed) throws Exception {
        Random r = new Random(seed);
        try (DataKey owner = sealer.newDataKey(PROFILE, 1)) {
            Made m = make(owner, k, k);
            Made other = make(owner, k, k);
            List<KeyEscrow.ShareDocument> mixed = new ArrayList<>(m.documents());
            KeyEscrow.ShareDocument stranger = new KeyEscrow.ShareDocument("stranger.txt", other.documents().get(0).text());
            mixed.set(r.nextInt(k), stranger);
            assertThatThrownBy(() -> recover(m, mixed)).isInstanceOf(VaultException.class).hasMessageContaining("stranger.txt")
                    .hasMessageContaining("foreign");
            List<KeyEscrow.ShareDocument> twice = new ArrayList<>(m.documents().subList(0, k - 1));
            twice.add(new KeyEscrow.ShareDocument("again.txt", m.documents().get(0).text()));
            assertThatThrownBy(() -> recover(m, twice)).isInstanceOf(VaultException.class).hasMessageContaining("again.txt");
        }
    }
}
