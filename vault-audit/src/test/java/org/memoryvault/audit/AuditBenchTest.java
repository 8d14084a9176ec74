package org.memoryvault.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.port.AuditStore;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.storage.sqlite.AuditSqliteFixture;
import org.memoryvault.storage.sqlite.SqliteDatabase;
import org.memoryvault.storage.sqlite.SqliteDatabases;

/**
 * The design target on a real vault.db: verify of N entries (1,000,000) in at most 30 s, proofs
 * well under a second. Skipped unless asked for:
 * {@code ./mvnw -o -pl vault-audit test -Dtest=AuditBenchTest -Daudit.bench.entries=1000000 -DargLine=-Xmx256m}.
 */
@Tag("slow")
class AuditBenchTest {
    @TempDir Path dir;

    @Test
    void verify_ofTheRequestedNumberOfEntries_meetsTheTargets() {
        long entries = Long.getLong("audit.bench.entries", 0);
        assumeTrue(entries > 0, "set -Daudit.bench.entries=N to run the audit benchmark");
        try (SqliteDatabase db = SqliteDatabases.open(dir)) {
            AuditStore store = AuditSqliteFixture.auditStore(db);
            Transactions tx = AuditSqliteFixture.transactions(db);
            AuditConfig config = AuditConfig.forVault("bench");
            Clock clock = Clock.systemUTC();
            MerkleAuditLog log = new MerkleAuditLog(store, new JdkEd25519Signer(new SecureRandom()), tx, clock, config);
            AuditBench.Result r = AuditBench.run(log, new AuditQueries(store, config), new AuditVerifier(store, config), tx, clock,
                    entries, 10_000, 50_000);
            System.out.printf("audit bench: %d entries, %d checkpoints, append %s (%.1f us/entry), inclusion proof %s, "
                            + "consistency proof %s, verify %s, max heap %d MiB%n", r.entries(), r.checkpoints(), r.append(),
                    r.append().toNanos() / 1000.0 / entries, r.inclusionProof(), r.consistencyProof(), r.verify(),
                    r.maxHeapBytes() >> 20);
            assertThat(r.verified()).isTrue();
            assertThat(r.verify()).isLessThanOrEqualTo(Duration.ofSeconds(30).multipliedBy(Math.max(1, entries / 1_000_000)));
            assertThat(r.inclusionProof()).isLessThan(Duration.ofSeconds(1));
            assertThat(r.consistencyProof()).isLessThan(Duration.ofSeconds(1));
        }
    }
}
