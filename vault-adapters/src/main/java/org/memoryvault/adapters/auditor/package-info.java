/**
 * Memory auditors: inspect recalled content after decryption and before delivery (gate 9).
 * {@link org.memoryvault.adapters.auditor.PromptInjectionMemoryAuditor} flags text that tries to
 * steer the agent reading it. Invariant: an auditor never keeps, logs or echoes the content; its
 * findings name patterns, never quote the text.
 */
@NullMarked
package org.memoryvault.adapters.auditor;

import org.jspecify.annotations.NullMarked;
