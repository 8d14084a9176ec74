package org.memoryvault.crypto;

import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.port.BackupCipher;

/** The backup cipher where no vault is wired yet (a restore reads its backup before the new vault exists). */
public final class BackupCiphers {
    private BackupCiphers() {}

    /** The libsodium backup cipher of docs/FORMAT.md §14. */
    public static BackupCipher libsodium() { return new SodiumBackupCipher(Libsodium.sharedBinding()); }

    /** The libsodium sealer, to check a backup's owner signature before its vault exists. */
    public static org.memoryvault.domain.port.Sealer signatures() { return new SodiumSealer(Libsodium.sharedBinding()); }
}
