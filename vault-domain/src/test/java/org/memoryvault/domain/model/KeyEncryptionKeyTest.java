package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;

/** A backend's KEK: exactly 32 bytes, zeroed on close, unusable after; a wrong one is a backend bug with a stable code. */
class KeyEncryptionKeyTest {
    @Test
    void aKeyOfAnotherLength_isInternalCrypto_andItsBytesAreWiped() {
        byte[] shortKey = new byte[31];
        Arrays.fill(shortKey, (byte) 7);
        assertThatThrownBy(() -> KeyEncryptionKey.adopt(shortKey))
                .isInstanceOfSatisfying(InternalVaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_CRYPTO));
        assertThat(shortKey).containsOnly(0);
    }

    @Test
    void close_zeroesTheBytes_andAClosedKeyRefusesUse() {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) 9);
        KeyEncryptionKey kek = KeyEncryptionKey.adopt(bytes);
        assertThat(kek.revealForCrypto()).isSameAs(bytes);
        assertThat(kek.toString()).doesNotContain("9");
        kek.close();
        assertThat(bytes).containsOnly(0);
        assertThatThrownBy(kek::revealForCrypto)
                .isInstanceOfSatisfying(InternalVaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_CRYPTO));
    }
}
