package org.memoryvault.crypto;

import org.memoryvault.domain.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.goterl.lazysodium.Sodium;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.UnlockSessions;
import org.memoryvault.domain.port.UnlockSessions.SessionToken;

class FileUnlockSessionsTest {
    private static final ProfileId PROFILE = ProfileId.of("work");
    private static final Instant START = Instant.parse("2025-05-05T10:00:00Z");

    @TempDir Path tmp;
    private final MutableClock clock = new MutableClock(START);
    private final AtomicReference<Optional<String>> env = new AtomicReference<>(Optional.empty());
    private final SodiumSealer sealer = new SodiumSealer(Libsodium.sharedBinding());

    private Path dir() { return tmp.resolve("vault/sessions"); }

    private FileUnlockSessions sessions() {
        return new FileUnlockSessions(dir(), env::get, clock, Libsodium.sharedBinding());
    }

    private Path record(ProfileId p) { return dir().resolve(p.value() + ".session"); }

    @Test
    void persist_thenResumeInANewInstanceWithTheToken_opensWhatTheOriginalKeySealed() {
        AssociatedData ad = new AssociatedData(AssociatedData.FORMAT_VERSION, MemoryId.parse("00000000-0000-4000-8000-000000000001"),
                Classification.PRIVATE, PROFILE, 3, START, "owner");
        Sealer.Sealed sealed;
        SessionToken token;
        try (DataKey key = sealer.newDataKey(PROFILE, 3)) {
            sealed = sealer.seal(key, TierLocks.NONE, ad, Plaintext.adopt("remember me".getBytes(StandardCharsets.UTF_8)));
            token = sessions().persist(key, START.plus(Duration.ofMinutes(30)));
        }
        assertThat(token.reveal()).matches("[A-Za-z0-9_-]{43}");
        assertThat(token.toString()).doesNotContain(token.reveal());

        env.set(Optional.of(token.reveal()));
        clock.advance(Duration.ofMinutes(29));
        Optional<DataKey> resumed = sessions().resume(PROFILE);
        assertThat(resumed).isPresent();
        try (DataKey key = resumed.get(); Plaintext p = sealer.open(key, ad, sealed.content(), sealed.commitment())) {
            assertThat(key.isOwner()).as("a session never holds the owner key").isFalse();
            assertThat(key.profile()).isEqualTo(PROFILE);
            assertThat(key.keyVersion()).isEqualTo(3);
            assertThat(new String(p.revealForCrypto(), StandardCharsets.UTF_8)).isEqualTo("remember me");
        }
    }

    @Test
    void persist_reusesAWellFormedTokenFromTheEnvironment_forSeveralProfiles() {
        String existing = Base64.getUrlEncoder().withoutPadding().encodeToString(new Libsodium(Libsodium.sharedBinding()).randomBytes(32));
        env.set(Optional.of(existing));
        ProfileId other = ProfileId.of("home");
        try (DataKey a = sealer.newDataKey(PROFILE, 1); DataKey b = sealer.newDataKey(other, 1)) {
            assertThat(sessions().persist(a, START.plusSeconds(600)).reveal()).isEqualTo(existing);
            assertThat(sessions().persist(b, START.plusSeconds(600)).reveal()).isEqualTo(existing);
        }
        assertThat(sessions().resume(PROFILE)).isPresent();
        assertThat(sessions().resume(other)).isPresent();
    }

    @Test
    void persist_withAMalformedEnvironmentToken_makesANewOne() {
        env.set(Optional.of("not-a-token"));
        try (DataKey key = sealer.newDataKey(PROFILE, 1)) {
            String token = sessions().persist(key, START.plusSeconds(600)).reveal();
            assertThat(token).isNotEqualTo("not-a-token").matches("[A-Za-z0-9_-]{43}");
        }
    }

    @Test
    void resume_withAWrongToken_isEmpty_andLeavesTheRecord() {
        persistFor(Duration.ofMinutes(10));
        env.set(Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32])));
        assertThat(sessions().resume(PROFILE)).isEmpty();
        assertThat(record(PROFILE)).exists();
    }

    @Test
    void resume_withoutAToken_orWithoutARecord_isEmpty() {
        String token = persistFor(Duration.ofMinutes(10));
        env.set(Optional.empty());
        assertThat(sessions().resume(PROFILE)).isEmpty();
        env.set(Optional.of(token));
        assertThat(sessions().resume(ProfileId.of("nobody"))).isEmpty();
    }

    @Test
    void resume_afterExpiry_isEmpty_andDeletesTheRecord() {
        String token = persistFor(Duration.ofMinutes(10));
        env.set(Optional.of(token));
        clock.advance(Duration.ofMinutes(10));
        assertThat(sessions().resume(PROFILE)).isEmpty();
        assertThat(record(PROFILE)).doesNotExist();
    }

    @Test
    void anEditedExpiry_doesNotOpen() throws IOException {
        String token = persistFor(Duration.ofMinutes(10));
        env.set(Optional.of(token));
        byte[] bytes = Files.readAllBytes(record(PROFILE));
        ByteBuffer.wrap(bytes).putLong(5, START.plus(Duration.ofDays(365)).getEpochSecond());
        Files.write(record(PROFILE), bytes);
        assertThat(sessions().resume(PROFILE)).isEmpty();
    }

    @Test
    void aRecordCopiedToAnotherProfile_doesNotOpen() throws IOException {
        String token = persistFor(Duration.ofMinutes(10));
        env.set(Optional.of(token));
        Files.copy(record(PROFILE), record(ProfileId.of("other")));
        assertThat(sessions().resume(ProfileId.of("other"))).isEmpty();
    }

    @Test
    void destroy_removesTheRecord_andDestroyAll_removesEveryRecord() {
        env.set(Optional.of(persistFor(Duration.ofMinutes(10))));
        try (DataKey other = sealer.newDataKey(ProfileId.of("home"), 1)) {
            sessions().persist(other, START.plusSeconds(600));
        }
        sessions().destroy(PROFILE);
        assertThat(record(PROFILE)).doesNotExist();
        assertThat(record(ProfileId.of("home"))).exists();
        assertThat(sessions().resume(PROFILE)).isEmpty();
        sessions().destroyAll();
        assertThat(record(ProfileId.of("home"))).doesNotExist();
        sessions().destroy(PROFILE);  // nothing left: not an error
    }

    @Test
    void destroyAll_withoutADirectory_isANoOp() {
        sessions().destroyAll();
        assertThat(dir()).doesNotExist();
    }

    @Test
    void theRecordIs0600_inA0700Directory_withNoTemporaryFileLeft() throws IOException {
        persistFor(Duration.ofMinutes(10));
        persistFor(Duration.ofMinutes(20));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(record(PROFILE)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir()))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("work.session");
        }
    }

    /** docs/FORMAT.md §8, followed by hand with raw libsodium calls. */
    @Test
    void theRecord_matchesTheDocumentedLayout() throws IOException {
        byte[] dek;
        String token;
        Instant expires = START.plusSeconds(900);
        try (DataKey key = sealer.newDataKey(PROFILE, 42)) {
            dek = SodiumDataKey.copyOf(key);
            token = sessions().persist(key, expires).reveal();
        }
        byte[] file = Files.readAllBytes(record(PROFILE));
        assertThat(file).hasSize(4 + 1 + 8 + 4 + 24 + 32 + 16);
        assertThat(Arrays.copyOfRange(file, 0, 5)).isEqualTo(new byte[] {'M', 'V', 'S', 'S', 1});
        ByteBuffer b = ByteBuffer.wrap(file);
        assertThat(b.getLong(5)).isEqualTo(expires.getEpochSecond());
        assertThat(b.getInt(13)).isEqualTo(42);

        Sodium raw = Libsodium.sharedBinding().getSodium();
        byte[] tokenBytes = Base64.getUrlDecoder().decode(token);
        byte[] label = "memory-vault/session/v1".getBytes(StandardCharsets.US_ASCII);
        byte[] sessionKey = new byte[32];
        assertThat(raw.crypto_generichash(sessionKey, 32, label, label.length, tokenBytes, 32)).isZero();
        byte[] ad = ByteBuffer.allocate(17 + 4).put(file, 0, 17).put("work".getBytes(StandardCharsets.UTF_8)).array();
        byte[] nonce = Arrays.copyOfRange(file, 17, 41);
        byte[] ciphertext = Arrays.copyOfRange(file, 41, file.length);
        byte[] out = new byte[32];
        assertThat(raw.crypto_aead_xchacha20poly1305_ietf_decrypt(out, new long[1], null, ciphertext, ciphertext.length,
                ad, ad.length, nonce, sessionKey)).isZero();
        assertThat(out).isEqualTo(dek);
    }

    @Test
    void anUnreadableOrTruncatedRecord_isIgnored() throws IOException {
        String token = persistFor(Duration.ofMinutes(10));
        env.set(Optional.of(token));
        byte[] bytes = Files.readAllBytes(record(PROFILE));
        Files.write(record(PROFILE), Arrays.copyOf(bytes, bytes.length - 1));
        assertThat(sessions().resume(PROFILE)).isEmpty();
    }

    @Test
    void tokens_areCheckedForCanonicalForm() {
        assertThat(FileUnlockSessions.decodeToken("A".repeat(43))).isPresent();
        assertThat(FileUnlockSessions.decodeToken("A".repeat(42) + "E")).isPresent();
        assertThat(FileUnlockSessions.decodeToken("A".repeat(42) + "B")).isEmpty();  // non-zero unused bits
        assertThat(FileUnlockSessions.decodeToken("A".repeat(44))).isEmpty();
        assertThat(FileUnlockSessions.decodeToken("A".repeat(42) + "=")).isEmpty();
    }

    private String persistFor(Duration ttl) {
        UnlockSessions s = sessions();
        try (DataKey key = sealer.newDataKey(PROFILE, 1)) {
            return s.persist(key, clock.instant().plus(ttl)).reveal();
        }
    }
}
