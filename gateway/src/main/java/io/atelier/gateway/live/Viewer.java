package io.atelier.gateway.live;

import io.atelier.gateway.config.HttpSettings.Scope;

/**
 * Who is watching: the token's name (for logs) and its scope, which filters every message.
 *
 * @param name the token's name
 * @param scope the machines and lines the token sees
 */
public record Viewer(String name, Scope scope) {}
