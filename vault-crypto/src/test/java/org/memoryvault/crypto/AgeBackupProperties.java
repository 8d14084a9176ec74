package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.BackupCipher;

/**
 * The age form of a backup file (docs/FORMAT.md §14): what is written to recipients reads back
 * record for record with any one of their identities, and only with them; every change to the file
 * (a flipped bit, a cut, an added byte, chunks swapped or taken from another file to the same
 * recipient) is refused with a vault error before the reader reports the end.
 */
class AgeBackupProperties {
    private static final byte[] HEADER = "memory-vault backup v1\nid test\n".getBytes(StandardCharsets.UTF_8);
    private static final int AGE_CHUNK = 64 * 1024 + 16;

    private final BackupCipher cipher = new SodiumBackupCipher(new Libsodium(Libsodium.sharedBinding()));
    private final KeyPair alice = pair();
    private final KeyPair bob = pair();

    private static KeyPair pair() {
        try {
            return new X25519KeyPairGenerator().generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** An identity file as age-keygen writes it: comments, the key, a newline. */
    private static String identityFile(KeyPair... pairs) {
        StringBuilder b = new StringBuilder();
        for (KeyPair p : pairs) b.append("# created: test\n# public key: ").append(p.getPublic()).append('\n').append(p.getPrivate()).append('\n');
        return b.toString();
    }

    @Provide Arbitrary<List<byte[]>> records() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40_000).list().ofMaxSize(8);
    }

    private byte[] write(List<byte[]> records, KeyPair... to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> recipients = Arrays.stream(to).map(p -> p.getPublic().toString()).toList();
        try (BackupCipher.Writer w = cipher.createForRecipients(out, HEADER, recipients)) {
            for (byte[] r : records) w.write(r);
            w.finish();
        }
        return out.toByteArray();
    }

    private List<byte[]> read(byte[] file, String identities) {
        List<byte[]> out = new ArrayList<>();
        try (BackupCipher.Reader r = cipher.read(new ByteArrayInputStream(file));
             SlotSecret id = SlotSecret.passphrase(identities.toCharArray())) {
            assertThat(r.forRecipients()).isTrue();
            r.openWithIdentities(id);
            assertThat(r.header()).isEqualTo(HEADER);
            for (Optional<byte[]> next = r.next(); next.isPresent(); next = r.next()) out.add(next.get());
        }
        return out;
    }

    @Property(tries = 20)
    void whatIsWritten_readsBackWithEitherRecipientsIdentity(@ForAll("records") List<byte[]> records) {
        byte[] file = write(records, alice, bob);
        assertThat(new String(file, 0, 22, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1\n");
        for (String identity : List.of(identityFile(alice), identityFile(bob), identityFile(pair(), bob))) {
            List<byte[]> back = read(file, identity);
            assertThat(back).hasSameSizeAs(records);
            for (int i = 0; i < records.size(); i++) assertThat(back.get(i)).isEqualTo(records.get(i));
        }
    }

    @Property(tries = 10)
    void anotherIdentity_isAWrongSecret_andAPassphraseIsTheWrongKindOfSecret(@ForAll("records") List<byte[]> records) {
        byte[] file = write(records, alice);
        assertThatThrownBy(() -> read(file, identityFile(bob)))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code().name()).isEqualTo("ACCESS_WRONG_SECRET"));
        try (BackupCipher.Reader r = cipher.read(new ByteArrayInputStream(file)); SlotSecret p = SlotSecret.passphrase("pass".toCharArray())) {
            assertThatThrownBy(() -> r.open(p)).isInstanceOfSatisfying(VaultException.class,
                    e -> assertThat(e.getMessage()).contains("--identity"));
        }
    }

    @Property(tries = 60)
    void aFlippedBitAnywhere_isRefused(@ForAll("records") List<byte[]> records, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
                                       @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] file = write(records, alice);
        file[where % file.length] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> read(file, identityFile(alice))).isInstanceOf(VaultException.class);
    }

    @Property(tries = 60)
    void aFileCutAnywhere_orLengthened_isRefused(@ForAll("records") List<byte[]> records,
                                                 @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where) {
        byte[] file = write(records, alice);
        byte[] cut = Arrays.copyOf(file, where % file.length);
        assertThatThrownBy(() -> read(cut, identityFile(alice))).isInstanceOf(VaultException.class);
        byte[] longer = Arrays.copyOf(file, file.length + 1);
        assertThatThrownBy(() -> read(longer, identityFile(alice))).isInstanceOf(VaultException.class);
    }

    @Property(tries = 10)
    void chunksSwappedOrTakenFromAnotherFile_areRefused(@ForAll @IntRange(min = 3, max = 5) int chunks) {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < chunks; i++) records.add(new byte[70_000]);
        byte[] a = write(records, alice);
        byte[] b = write(records, alice);
        int payload = payloadStart(a);
        byte[] swapped = a.clone();
        System.arraycopy(a, payload, swapped, payload + AGE_CHUNK, AGE_CHUNK);
        System.arraycopy(a, payload + AGE_CHUNK, swapped, payload, AGE_CHUNK);
        assertThatThrownBy(() -> read(swapped, identityFile(alice))).isInstanceOf(VaultException.class);
        byte[] spliced = a.clone();
        System.arraycopy(b, payloadStart(b) + AGE_CHUNK, spliced, payload + AGE_CHUNK, AGE_CHUNK);
        assertThatThrownBy(() -> read(spliced, identityFile(alice))).isInstanceOf(VaultException.class);
    }

    /** Where the first payload chunk starts: after the age header's MAC line and the 16-byte payload nonce. */
    private static int payloadStart(byte[] file) {
        String text = new String(file, StandardCharsets.ISO_8859_1);
        int mac = text.indexOf("\n--- ");
        return text.indexOf('\n', mac + 1) + 1 + 16;
    }

    @Test
    void anUnfinishedWriter_leavesAFileNoReaderAccepts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BackupCipher.Writer w = cipher.createForRecipients(out, HEADER, List.of(alice.getPublic().toString()))) {
            w.write(new byte[100_000]);
        }
        assertThatThrownBy(() -> read(out.toByteArray(), identityFile(alice))).isInstanceOf(VaultException.class);
    }

    /** Found in review: an upper-case recipient (Bech32 allows it, and age takes it) was refused; mixed case is still not a recipient. */
    @Test
    void anUpperCaseRecipient_isTheSameRecipient_mixedCaseIsRefused() {
        String upper = alice.getPublic().toString().toUpperCase(java.util.Locale.ROOT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BackupCipher.Writer w = cipher.createForRecipients(out, HEADER, List.of(upper))) {
            w.write(new byte[] {1, 2, 3});
            w.finish();
        }
        assertThat(read(out.toByteArray(), identityFile(alice))).singleElement().isEqualTo(new byte[] {1, 2, 3});
        String mixed = "AGE1" + alice.getPublic().toString().substring(4);
        assertThatThrownBy(() -> cipher.createForRecipients(new ByteArrayOutputStream(), HEADER, List.of(mixed)))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code().name()).isEqualTo("INPUT_INVALID"));
    }

    @Test
    void aBadRecipient_isNamed_andASecretKeyGivenAsRecipientIsNotEchoed() {
        assertThatThrownBy(() -> cipher.createForRecipients(new ByteArrayOutputStream(), HEADER, List.of("age1notarecipient")))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.getMessage()).contains("age1notarecipient"));
        String secret = alice.getPrivate().toString();
        // found in review: a quoted or prefixed paste of a secret key was echoed whole
        for (String pasted : List.of(secret, "\"" + secret + "\"", "x" + secret, "age1" + secret, "AGE-SECRET-KEY1" + secret.substring(15),
                secret.toLowerCase(java.util.Locale.ROOT))) {
            assertThatThrownBy(() -> cipher.createForRecipients(new ByteArrayOutputStream(), HEADER, List.of(pasted)))
                    .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.getMessage().toUpperCase(java.util.Locale.ROOT))
                            .doesNotContain(secret.substring(15, 40)));
        }
    }

    /** Found in review: a crafted record length (200 MiB on a short file) filled the heap before the file ran out. */
    @Test
    void aCraftedRecordLength_isACutRecord_notAFullHeap() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var writers = List.of(com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(
                alice.getPublic().toString()));
        try (var age = java.nio.channels.Channels.newOutputStream(new com.exceptionfactory.jagged.framework.stream
                .StandardEncryptingChannelFactory().newEncryptingChannel(java.nio.channels.Channels.newChannel(out), writers));
             var payload = new java.io.DataOutputStream(age)) {
            payload.write(new byte[] {'M', 'V', 'B', 'K', 1});
            payload.writeInt(HEADER.length);
            payload.write(HEADER);
            payload.write(0);
            payload.writeInt(200 << 20);
            payload.write(new byte[] {'a', 'b', 'c'});
        }
        try (BackupCipher.Reader r = cipher.read(new ByteArrayInputStream(out.toByteArray()));
             SlotSecret id = SlotSecret.passphrase(identityFile(alice).toCharArray())) {
            r.openWithIdentities(id);
            assertThatThrownBy(r::next).isInstanceOfSatisfying(VaultException.class,
                    e -> assertThat(e.getMessage()).contains("cut off"));
        }
    }

    @Test
    void anIdentityFileWithoutAnIdentity_isRefusedClearly() {
        byte[] file = write(List.of(new byte[10]), alice);
        assertThatThrownBy(() -> read(file, "# only a comment\n"))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.getMessage()).contains("no age identity"));
        assertThatThrownBy(() -> read(file, "not an identity\n"))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code().name()).isEqualTo("INPUT_INVALID"));
    }
}
