package org.memoryvault.domain.policy;

/** The recall gates, in their contract order (ARCHITECTURE §3). */
public enum Gate {
    LOCKDOWN,
    EXISTENCE,
    CLEARANCE,
    BOUNDARY,
    APPROVAL,
    COOLDOWN,
    PRESENCE,
    DECRYPTION,
    AUDITORS
}
