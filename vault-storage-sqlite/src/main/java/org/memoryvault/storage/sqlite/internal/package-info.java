/**
 * SQL helpers for the SQLite adapters: vault files and their permissions, the connection pool,
 * schema migrations, error translation, row mapping and the FTS5 match builder. Nothing here takes
 * user text into SQL: values are bound, and search terms are quoted by {@link
 * org.memoryvault.storage.sqlite.internal.MatchExpression}.
 */
@NullMarked
package org.memoryvault.storage.sqlite.internal;

import org.jspecify.annotations.NullMarked;
