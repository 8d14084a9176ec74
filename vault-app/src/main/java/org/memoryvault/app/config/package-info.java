/**
 * The vault's configuration file (config.toml) and the list of its keys. Invariant: only known
 * keys with valid values are ever written or used.
 */
@NullMarked
package org.memoryvault.app.config;

import org.jspecify.annotations.NullMarked;
