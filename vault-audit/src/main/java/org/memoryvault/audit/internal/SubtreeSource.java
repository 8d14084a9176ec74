package org.memoryvault.audit.internal;

/** Gives the RFC 9162 hash MTH(D[start:end]) of any leaf range inside the tree. */
public interface SubtreeSource {
    byte[] hash(long start, long end);
}
