/** Memory Vault as a library: {@link org.memoryvault.app.api.MemoryVault} (docs/EMBEDDING.md). */
@NullMarked
package org.memoryvault.app.api;

import org.jspecify.annotations.NullMarked;
