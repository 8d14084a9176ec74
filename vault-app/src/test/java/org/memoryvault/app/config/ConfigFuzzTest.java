package org.memoryvault.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * Fuzz harness for {@code config.toml} (docs/TESTING.md): whatever the file holds, loading it ends
 * in a configuration or in {@code INPUT_CONFIG}, never another exception; a loaded configuration
 * sees exactly the keys the TOML library itself reads (valid ones as settings, the rest set aside
 * as problems or retired), every setting it acts on is valid, and writing it back round-trips.
 */
class ConfigFuzzTest {
    private static final TomlMapper TOML = new TomlMapper();
    private static final Path DIR = tempDir();

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("config-fuzz");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void configToml(byte[] input) throws IOException {
        Files.write(DIR.resolve(VaultConfig.FILE_NAME), input);
        VaultConfig config;
        try {
            config = VaultConfig.load(DIR);
        } catch (InvalidInputException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CONFIG);
            return;
        }
        java.util.TreeMap<String, String> library = new java.util.TreeMap<>();
        flatten("", TOML.readValue(Files.readString(DIR.resolve(VaultConfig.FILE_NAME)), Map.class), library);
        assertThat(library.keySet()).containsAll(config.problems().keySet()).containsAll(config.retired().keySet());
        library.forEach((k, v) -> {
            if (!config.problems().containsKey(k) && !config.retired().containsKey(k)) assertThat(config.effective().get(k)).isEqualTo(v);
        });
        config.effective().forEach(ConfigKey::validate);
        config.settings();
    }

    private static void flatten(String prefix, Map<?, ?> tree, java.util.TreeMap<String, String> out) {
        for (Map.Entry<?, ?> e : tree.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m) flatten(key + ".", m, out);
            else out.put(key, String.valueOf(e.getValue()));
        }
    }
}
