package org.memoryvault.domain.policy;

import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;

/**
 * What a new passphrase must be: at least {@value #MIN_CHARACTERS} characters (Unicode code points
 * of its UTF-8 form). Checked wherever a passphrase slot is made, whoever calls: CLI, embedding
 * program or MCP server. Existing slots are never judged again.
 */
public final class PassphrasePolicy {
    public static final int MIN_CHARACTERS = 8;

    private PassphrasePolicy() {}

    /** {@code INPUT_INVALID} if {@code secret} is a passphrase shorter than the minimum; other secrets pass. */
    public static void requireAcceptable(SlotSecret secret) {
        if (!secret.type().equals(SlotType.PASSPHRASE)) return;
        int characters = 0;
        for (byte b : secret.revealForCrypto()) {
            if ((b & 0xC0) != 0x80) characters++;           // every byte but a UTF-8 continuation byte starts a character
        }
        if (characters < MIN_CHARACTERS) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a passphrase must have at least " + MIN_CHARACTERS + " characters");
        }
    }
}
