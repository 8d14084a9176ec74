package org.memoryvault.adapters.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.Classification;

class DaemonRepliesTest {
    /**
     * Found by DaemonRepliesFuzzTest: Jackson's byte parser, having read the name "permitted" once,
     * read the malformed name "permitte" 0xFF 0xFF 0xFF "d" as "permitted" too, so a reply that is not
     * UTF-8 (and so no JSON) was a permit. Replies must be UTF-8 first.
     */
    @Test
    void aReplyThatIsNotUtf8IsNeverAPermitWhateverCameBefore() {
        byte[] earlier = "{\"success\": true, \"permitted\": false, \"reason\": \"no\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(DaemonReplies.decide(earlier, Classification.ofLevel(1)).decision().permitted()).isFalse();
        ByteArrayOutputStream malformed = new ByteArrayOutputStream();
        malformed.writeBytes("{\"success\": true, \"permitte".getBytes(StandardCharsets.UTF_8));
        malformed.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        malformed.writeBytes("d\": true}".getBytes(StandardCharsets.UTF_8));
        DaemonReplies.Answer a = DaemonReplies.decide(malformed.toByteArray(), Classification.ofLevel(1));
        assertThat(a.decision().permitted()).isFalse();
        assertThat(a.decision().reason()).contains("not UTF-8");
    }

    /** Found in review: ASCII text in UTF-16 or UTF-32 is valid UTF-8 (with NULs), and Jackson reading bytes guesses the encoding. */
    @Test
    void aPermitInUtf16OrUtf32IsNoPermit() {
        String permit = "{\"success\":true,\"permitted\":true}";
        for (java.nio.charset.Charset cs : java.util.List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                java.nio.charset.Charset.forName("UTF-32LE"), java.nio.charset.Charset.forName("UTF-32BE"))) {
            assertThat(DaemonReplies.decide(permit.getBytes(cs), Classification.ofLevel(1)).decision().permitted()).as(cs.name()).isFalse();
        }
        assertThat(DaemonReplies.decide(permit.getBytes(StandardCharsets.UTF_8), Classification.ofLevel(1)).decision().permitted()).isTrue();
    }
}
