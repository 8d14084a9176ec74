package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.testing.InsecureTestSealer;
import org.memoryvault.domain.testing.MutableClock;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.ProfileId;

/** The one unlocked-key cache, which the vault and every use-case test run. */
class UnlockedKeyCacheTest {
    private static final ProfileId A = ProfileId.of("alpha");
    private static final ProfileId B = ProfileId.of("beta");
    private static final Duration TTL = Duration.ofMinutes(15);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
    private final UnlockedKeyCache cache = new UnlockedKeyCache(clock);
    private final InsecureTestSealer sealer = new InsecureTestSealer(new java.util.SplittableRandom(7));

    @Test
    void find_withinTtl_returnsTheSameKey() {
        DataKey key = sealer.newDataKey(A, 1);
        cache.remember(key, TTL);
        clock.advance(TTL.minusSeconds(1));
        assertThat(cache.find(A)).containsSame(key);
        assertThat(cache.find(B)).isEmpty();
        assertThat(key.isDestroyed()).isFalse();
    }

    @Test
    void find_afterTtl_zeroesAndDropsTheKey() {
        DataKey key = sealer.newDataKey(A, 1);
        cache.remember(key, TTL);
        clock.advance(TTL);
        assertThat(cache.find(A)).isEmpty();
        assertThat(key.isDestroyed()).isTrue();
    }

    @Test
    void anyAccess_dropsEveryExpiredKey_notOnlyTheOneAskedFor() {
        DataKey shortLived = sealer.newDataKey(A, 1);
        DataKey longLived = sealer.newDataKey(B, 1);
        cache.remember(shortLived, Duration.ofMinutes(1));
        cache.remember(longLived, Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(2));
        assertThat(cache.find(B)).containsSame(longLived);
        assertThat(shortLived.isDestroyed()).isTrue();
        assertThat(longLived.isDestroyed()).isFalse();
    }

    @Test
    void forget_closesTheKey() {
        DataKey a = sealer.newDataKey(A, 1);
        DataKey b = sealer.newDataKey(B, 1);
        cache.remember(a, TTL);
        cache.remember(b, TTL);
        cache.forget(A);
        assertThat(a.isDestroyed()).isTrue();
        assertThat(cache.find(A)).isEmpty();
        assertThat(cache.find(B)).containsSame(b);
    }

    @Test
    void forgetAll_andClose_closeEveryKey() {
        DataKey a = sealer.newDataKey(A, 1);
        DataKey b = sealer.newDataKey(B, 1);
        cache.remember(a, TTL);
        cache.remember(b, TTL);
        cache.forgetAll();
        assertThat(a.isDestroyed()).isTrue();
        assertThat(b.isDestroyed()).isTrue();
        DataKey c = sealer.newDataKey(A, 2);
        cache.remember(c, TTL);
        cache.close();
        assertThat(c.isDestroyed()).isTrue();
        assertThat(cache.find(A)).isEmpty();
    }

    @Test
    void rememberingAnotherKeyForTheProfile_closesTheOldOne() {
        DataKey old = sealer.newDataKey(A, 1);
        DataKey fresh = sealer.newDataKey(A, 2);
        cache.remember(old, TTL);
        cache.remember(fresh, TTL);
        assertThat(old.isDestroyed()).isTrue();
        assertThat(cache.find(A)).containsSame(fresh);
    }

    @Test
    void rememberingTheSameKeyAgain_renewsItsTtl_withoutClosingIt() {
        DataKey key = sealer.newDataKey(A, 1);
        cache.remember(key, TTL);
        clock.advance(TTL.minusMinutes(1));
        cache.remember(key, TTL);
        clock.advance(Duration.ofMinutes(5));
        assertThat(cache.find(A)).containsSame(key);
        assertThat(key.isDestroyed()).isFalse();
    }

    @Test
    void aZeroTtl_keepsTheKeyOnlyUntilTheNextAccess() {
        DataKey key = sealer.newDataKey(A, 1);
        cache.remember(key, Duration.ZERO);
        assertThat(key.isDestroyed()).isFalse();
        assertThat(cache.find(A)).isEmpty();
        assertThat(key.isDestroyed()).isTrue();
    }

    @Test
    void aKeyClosedElsewhere_isNotReturned() {
        DataKey key = sealer.newDataKey(A, 1);
        cache.remember(key, TTL);
        key.close();
        assertThat(cache.find(A)).isEmpty();
    }

    @Test
    void concurrentUse_leavesAtMostOneLiveKey_theCachedOne() throws Exception {
        List<DataKey> made = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        DataKey k = sealer.newDataKey(A, 1);
                        made.add(k);
                        cache.remember(k, TTL);
                        cache.find(A);
                        if (i % 50 == 0) cache.forget(A);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        List<DataKey> live = made.stream().filter(k -> !k.isDestroyed()).toList();
        assertThat(live).hasSizeLessThanOrEqualTo(1);
        assertThat(cache.find(A).map(List::of).orElse(List.of())).containsExactlyElementsOf(live);
    }
}
