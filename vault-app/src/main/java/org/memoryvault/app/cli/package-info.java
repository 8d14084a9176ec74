/**
 * The picocli command line. Invariant: a command prints one result on stdout (one JSON document
 * with --json) and maps every VaultException to its documented exit code, never a stack trace.
 */
@NullMarked
package org.memoryvault.app.cli;

import org.jspecify.annotations.NullMarked;
