/**
 * Pure rules: the recall gate sequence and the settings the use cases follow. No I/O; every
 * input (time included) is a parameter, so the rules are property-tested directly.
 */
@NullMarked
package org.memoryvault.domain.policy;

import org.jspecify.annotations.NullMarked;
