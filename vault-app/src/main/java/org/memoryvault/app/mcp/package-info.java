/** The vault as a Model Context Protocol server: {@code vault mcp} (docs/AGENTS.md). */
@NullMarked
package org.memoryvault.app.mcp;

import org.jspecify.annotations.NullMarked;
