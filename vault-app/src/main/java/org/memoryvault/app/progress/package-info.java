/** Progress of long commands, shown to a person at a terminal and to no one else. */
@org.jspecify.annotations.NullMarked
package org.memoryvault.app.progress;
