package io.atelier.gateway.config;

import java.nio.file.Path;

/**
 * Instance-wide settings.
 *
 * @param name this instance's name (shown in /ready, used in client ids)
 * @param dataDir where the gateway keeps its state (spool, connector sessions, certificates)
 */
public record GatewaySettings(String name, Path dataDir) {}
