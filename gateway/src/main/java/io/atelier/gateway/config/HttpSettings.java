package io.atelier.gateway.config;

/**
 * The HTTP server.
 *
 * @param host the address to bind; 0.0.0.0 for every interface
 * @param port the port; 0 picks a free one
 */
public record HttpSettings(String host, int port) {}
