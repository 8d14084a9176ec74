package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;

class SodiumEd25519SignerTest {
    // The published golang.org/x/mod/sumdb/note test key (PeterNeumann) and the signature in its
    // documented example note: Ed25519 is deterministic, so the same seed must give the same bytes.
    private static final String PUBLISHED_SEED_B64 = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String PUBLISHED_PUBLIC_B64 = "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String PUBLISHED_TEXT =
            "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private static final String PUBLISHED_SIG_B64 = "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";

    @TempDir Path vault;

    private SodiumEd25519Signer signer() { return new SodiumEd25519Signer(vault.resolve("audit"), Libsodium.sharedBinding()); }

    private static byte[] withoutTypeByte(String b64) {
        byte[] raw = Base64.getDecoder().decode(b64);
        return Arrays.copyOfRange(raw, 1, raw.length);
    }

    @Test
    void ensureKey_createsA32ByteSeedFile0600InA0700Dir_andIsStable() throws Exception {
        SodiumEd25519Signer s = signer();
        byte[] pk = s.ensureKey(1);
        Path file = vault.resolve("audit").resolve("signing-key-1");
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(pk).hasSize(32);
        assertThat(signer().ensureKey(1)).isEqualTo(pk);
        assertThat(s.ensureKey(2)).isNotEqualTo(pk);
    }

    @Test
    void publishedSeed_givesThePublishedPublicKeyAndSignature() throws Exception {
        Files.createDirectories(vault.resolve("audit"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = vault.resolve("audit").resolve("signing-key-3");
        Files.write(file, withoutTypeByte(PUBLISHED_SEED_B64));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        SodiumEd25519Signer s = signer();

        assertThat(s.ensureKey(3)).isEqualTo(withoutTypeByte(PUBLISHED_PUBLIC_B64));
        byte[] sig = s.sign(3, PUBLISHED_TEXT.getBytes(StandardCharsets.UTF_8));
        byte[] published = Base64.getDecoder().decode(PUBLISHED_SIG_B64);
        assertThat(sig).isEqualTo(Arrays.copyOfRange(published, 4, published.length));
    }

    @Test
    void signatures_verifyWithTheJdksEd25519() throws Exception {
        SodiumEd25519Signer s = signer();
        byte[] pk = s.ensureKey(1);
        byte[] message = "memory-vault/x\n5\nAAAA\n".getBytes(StandardCharsets.UTF_8);
        byte[] sig = s.sign(1, message);
        byte[] der = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(pk));
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
        v.update(message);
        assertThat(v.verify(sig)).isTrue();
    }

    @Test
    void destroy_removesTheKey_andSigningThenFails() {
        SodiumEd25519Signer s = signer();
        s.ensureKey(1);
        s.destroy(1);
        assertThat(vault.resolve("audit").resolve("signing-key-1")).doesNotExist();
        assertThatThrownBy(() -> s.sign(1, new byte[1])).isInstanceOf(IntegrityException.class);
        s.destroy(1);
    }

    @Test
    void keyFiles_readableByOthers_orOfTheWrongSize_areRefused() throws Exception {
        SodiumEd25519Signer s = signer();
        s.ensureKey(1);
        Path file = vault.resolve("audit").resolve("signing-key-1");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> s.sign(1, new byte[1])).isInstanceOf(InvalidInputException.class).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.write(file, new byte[31]);
        assertThatThrownBy(() -> s.sign(1, new byte[1])).isInstanceOf(InvalidInputException.class).hasMessageContaining("32 bytes");
    }
}
