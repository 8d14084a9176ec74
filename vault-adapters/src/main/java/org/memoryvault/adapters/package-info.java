/**
 * Inbound and environment adapters: boundary guards, human approval gates. Each adapter implements
 * a domain port and fails closed: anything it cannot establish is a refusal.
 */
@NullMarked
package org.memoryvault.adapters;

import org.jspecify.annotations.NullMarked;
