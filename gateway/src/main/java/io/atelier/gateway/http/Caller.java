package io.atelier.gateway.http;

import io.atelier.connector.api.MachineRef;
import io.atelier.gateway.config.HttpSettings.Role;
import io.atelier.gateway.config.HttpSettings.Scope;
import io.atelier.gateway.config.MachineConfig;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Who is calling: the token's name, role and scope. Built only from a verified token (or from
 * {@code auth: none}), never from anything else the client sends.
 *
 * @param name the token's name, for the audit log
 * @param role what the caller may do
 * @param scope which machines the caller sees
 */
public record Caller(String name, Role role, Scope scope) {

  /** Everybody, when the configuration says {@code auth: none}. */
  public static final Caller ANONYMOUS = new Caller("anonymous", Role.ADMIN, Scope.ALL);

  static final String KEY = "atelier.caller";

  /** The caller of a request that went through access control. */
  static Caller of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.<Caller>get(KEY))
        .orElseThrow(() -> new ApiError(ApiError.Kind.UNAUTHORIZED, "a bearer token is required"));
  }

  public boolean sees(MachineConfig m) {
    return scope.allowsMachine(m.id(), m.ref());
  }

  public boolean seesLine(MachineRef anyMachineOfTheLine) {
    return scope.allowsLine(anyMachineOfTheLine);
  }

  /** Throws 403 unless the caller's role is at least {@code needed}. */
  void require(Role needed, String what) {
    if (!role.allows(needed)) {
      throw ApiError.forbidden(
          "the token '"
              + name
              + "' ("
              + role.name().toLowerCase(java.util.Locale.ROOT)
              + ") may not "
              + what);
    }
  }
}
