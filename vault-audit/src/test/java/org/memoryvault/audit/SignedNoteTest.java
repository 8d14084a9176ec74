package org.memoryvault.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InvalidInputException;

/** C2SP signed notes: the golang sumdb/note vector, real sum.golang.org checkpoints, malformed notes. */
class SignedNoteTest {
    private static final JsonNode NOTE = Vectors.ROOT.get("note_vector");

    private static byte[] publishedSeed() {
        String[] parts = NOTE.get("skey").asText().split("\\+", 5); // PRIVATE+KEY+name+id+base64 (base64 may hold '+')
        byte[] raw = Base64.getDecoder().decode(parts[4]);
        assertThat(raw[0]).isEqualTo((byte) 1);
        return Arrays.copyOfRange(raw, 1, raw.length);
    }

    @Test
    void publishedTestKey_givesThePublishedVerifierKey_andKeyId() {
        VerifierKey key = VerifierKey.of(NOTE.get("name").asText(), JdkEd25519Signer.publicKeyOf(publishedSeed()));
        assertThat(key.toString()).isEqualTo(NOTE.get("vkey").asText());
        assertThat(key.keyIdHex()).isEqualTo(NOTE.get("key_id_hex").asText());
        assertThat(VerifierKey.parse(NOTE.get("vkey").asText())).isEqualTo(key);
    }

    @Test
    void signing_reproducesThePublishedNoteExactly() {
        byte[] seed = publishedSeed();
        VerifierKey key = VerifierKey.of(NOTE.get("name").asText(), JdkEd25519Signer.publicKeyOf(seed));
        String note = SignedNote.sign(NOTE.get("text").asText(), key, m -> JdkEd25519Signer.sign(seed, m));
        assertThat(note).isEqualTo(NOTE.get("note").asText());
    }

    @Test
    void publishedNote_verifiesWithPublishedKey_andFailsWhenAnyTextByteChanges() {
        VerifierKey key = VerifierKey.parse(NOTE.get("vkey").asText());
        String note = NOTE.get("note").asText();
        SignedNote parsed = SignedNote.parse(note);
        assertThat(parsed.text()).isEqualTo(NOTE.get("text").asText());
        assertThat(parsed.verifiedBy(key)).isTrue();
        String text = NOTE.get("text").asText();
        for (int i = 0; i < text.length() - 1; i++) {
            if (text.charAt(i) == '\n') continue;
            String altered = note.substring(0, i) + (char) (text.charAt(i) ^ 1) + note.substring(i + 1);
            assertThat(SignedNote.parse(altered).verifiedBy(key)).as("flip at %d", i).isFalse();
        }
    }

    @Test
    void realSumGolangCheckpoints_verify_andParseAsCheckpoints() {
        for (JsonNode c : Vectors.ROOT.get("real_checkpoints")) {
            VerifierKey key = VerifierKey.parse(c.get("vkey").asText());
            SignedNote note = SignedNote.parse(c.get("note").asText());
            assertThat(note.verifiedBy(key)).isTrue();
            CheckpointBody body = CheckpointBody.parse(note.text());
            assertThat(body.origin()).isEqualTo(c.get("origin").asText());
            assertThat(body.treeSize()).isEqualTo(c.get("size").asLong());
            assertThat(Base64.getEncoder().encodeToString(body.root())).isEqualTo(c.get("root_b64").asText());
            assertThat(body.text()).isEqualTo(note.text());

            String tampered = c.get("note").asText().replace("\n" + c.get("size").asText() + "\n", "\n" + (c.get("size").asLong() + 1) + "\n");
            assertThat(SignedNote.parse(tampered).verifiedBy(key)).isFalse();
        }
    }

    @Test
    void unknownKeys_areIgnored_butAKnownKeysBadSignatureFails() {
        VerifierKey key = VerifierKey.parse(NOTE.get("vkey").asText());
        String note = NOTE.get("note").asText();
        String withStranger = note + SignedNote.SIGNATURE_PREFIX + "stranger " + Base64.getEncoder().encodeToString(new byte[68]) + "\n";
        assertThat(SignedNote.parse(withStranger).verifiedBy(key)).isTrue();
        VerifierKey other = VerifierKey.of("PeterNeumann", JdkEd25519Signer.publicKeyOf(new byte[32]));
        assertThat(SignedNote.parse(note).verifiedBy(other)).isFalse();
    }

    @Test
    void malformedNotes_areRejectedAsIntegrityErrors() {
        String note = NOTE.get("note").asText();
        for (String bad : new String[] {
                note.substring(0, note.length() - 1),                 // no final newline
                note.replace("\n\n", "\n"),                           // no blank line
                note.replace("\u2014 ", "-- "),                       // ascii dashes instead of the em dash
                note.replace("PeterNeumann x08", "PeterNeumann  x08"),// empty name piece
                note.replace("x08go", "x08g!"),                       // not base64
                note.replace("cryptography", "crypto\tgraphy"),      // control character
                NOTE.get("text").asText() + "\n"}) {                  // no signature lines
            assertThatThrownBy(() -> SignedNote.parse(bad)).isInstanceOf(IntegrityException.class)
                    .extracting(e -> ((IntegrityException) e).code()).isEqualTo(ErrorCode.INTEGRITY_SIGNATURE);
        }
    }

    @Test
    void verifierKeys_withWrongIdOrAlgorithm_areRejected() {
        String vkey = NOTE.get("vkey").asText();
        assertThatThrownBy(() -> VerifierKey.parse(vkey.replace("c74f20a3", "c74f20a4"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> VerifierKey.parse(vkey.replace("+ARpc", "+AhpC"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> VerifierKey.parse("a b+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(VerifierKey.keyId("PeterNeumann", VerifierKey.parse(vkey).publicKey())).isEqualTo((int) Long.parseLong("c74f20a3", 16));
    }
}
