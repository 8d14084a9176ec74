/**
 * Reusable test support for the domain (published as vault-domain's test-jar): in-memory ports,
 * test-only crypto ({@code Insecure*}, never for production), builders, jqwik arbitraries and one
 * abstract contract test per storage port, so fakes and real adapters are held to the same rules.
 */
@NullMarked
package org.memoryvault.domain.testing;

import org.jspecify.annotations.NullMarked;
