package org.memoryvault.crypto;

import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;
import java.util.List;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * Small standard age files (age-encryption.org/v1, X25519 recipients; Jagged over the JDK's X25519
 * and ChaCha20-Poly1305): escrow shares and heir packages. {@code age -d -i key.txt FILE} opens them.
 */
public final class AgeFiles {
    private AgeFiles() {}

    /** An age file of {@code plaintext} for one X25519 recipient ({@code age1...}, either case). */
    public static byte[] encrypt(byte[] plaintext, String recipient) {
        String r = AgeBackupStream.bech32Case(recipient.strip());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            WritableByteChannel age = new StandardEncryptingChannelFactory().newEncryptingChannel(Channels.newChannel(out),
                    List.of(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r)));
            ByteBuffer b = ByteBuffer.wrap(plaintext);
            while (b.hasRemaining()) age.write(b);
            age.close();
            return out.toByteArray();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "not an age X25519 recipient (age1...): "
                    + (r.toUpperCase(java.util.Locale.ROOT).startsWith("AGE-SECRET-KEY") ? "a secret key (give the public age1... recipient)"
                    : r.substring(0, Math.min(r.length(), 80))));
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "age encryption failed", e);
        }
    }
}
