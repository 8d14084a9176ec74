package org.memoryvault.app.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The example of docs/EMBEDDING.md, compiled and run by MemoryVaultTest (which also checks the page shows this file). */
public final class EmbeddingExample {
    private EmbeddingExample() {}

    public static void main(String[] args) {
        Path vaultDir = Path.of(args[0]);
        Path credential = Path.of(args[1]);                  // written by `vault principal add`
        try (MemoryVault vault = MemoryVault.open(vaultDir, MemoryVault.Options.principal(credential))) {
            String id = vault.store("the build needs JDK 17".getBytes(StandardCharsets.UTF_8), 1, "{\"topic\":\"build\"}");
            MemoryVault.Recall recall = vault.recall(id, "planning the release build");
            if (recall.granted()) {
                System.out.println(new String(recall.content(), StandardCharsets.UTF_8));
            } else {
                System.out.println("waiting for the owner: vault approvals approve " + recall.approvalId().orElseThrow());
            }
            for (MemoryVault.Hit hit : vault.search("build", 10)) System.out.println(hit.id() + " " + hit.snippet());
        }
    }
}
