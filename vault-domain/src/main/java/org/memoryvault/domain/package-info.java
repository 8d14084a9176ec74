/** Memory Vault's domain core: model, rules, ports and use cases. JDK only (ARCHITECTURE §2). */
@NullMarked
package org.memoryvault.domain;

import org.jspecify.annotations.NullMarked;
